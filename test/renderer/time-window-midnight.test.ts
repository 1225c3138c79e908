// Footage across midnight in the results views: the "footage runs" label, and picking a window
// that wraps past midnight with the two selects.
import { describe, expect, it } from 'vitest'
import { TimeWindowSchema, type TimeWindow } from '../../src/shared/app-api'
import {
  footageSpan,
  FROM_HOURS,
  hourInWindow,
  pickFrom,
  pickTo,
  selectValues,
  TO_HOURS,
  windowHasFootage,
  windowLabel
} from '../../src/renderer/src/components/results/lib/time-window'

/** Hour buckets with footage, as the day's result lists them. */
function buckets(...starts: string[]): Array<{ start: string; framesUsed: number }> {
  return starts.map((start) => ({ start, framesUsed: 5 }))
}

/** The window after picking in the selects, one after the other, from the whole day. */
function picked(...steps: Array<['from' | 'to', number]>): TimeWindow | null {
  let window: TimeWindow | null = null
  for (const [select, hour] of steps) window = (select === 'from' ? pickFrom : pickTo)(selectValues(window), hour)
  return window
}

describe('the hours the footage covers', () => {
  it('runs across midnight when the footage does', () => {
    // A 20 s clip from 23:59:50: the server gives it the hours 23 and 00 (of the next day).
    const shortClip = footageSpan(buckets('2026-03-09T23:00:00', '2026-03-10T00:00:00'))
    expect(shortClip).toEqual({ fromHour: 23, toHour: 1 })
    expect(windowLabel(shortClip)).toBe('23:00 to 01:00')
    const night = footageSpan(buckets('2026-03-09T22:00:00', '2026-03-09T23:00:00', '2026-03-10T00:00:00', '2026-03-10T01:00:00'))
    expect(windowLabel(night)).toBe('22:00 to 02:00')
  })

  it('stays within the day otherwise, whatever the order of the hours', () => {
    expect(footageSpan(buckets('2026-03-09T09:00:00', '2026-03-09T17:00:00'))).toEqual({ fromHour: 9, toHour: 18 })
    expect(footageSpan(buckets('2026-03-09T00:00:00', '2026-03-09T23:00:00', '2026-03-09T05:00:00'))).toEqual({ fromHour: 23, toHour: 6 })
    expect(footageSpan(buckets('2026-03-09T18:00:00', '2026-03-09T23:00:00'))).toEqual({ fromHour: 18, toHour: 24 })
    // Two equal gaps: the span within the day.
    expect(footageSpan(buckets('2026-03-09T00:00:00', '2026-03-09T12:00:00'))).toEqual({ fromHour: 0, toHour: 13 })
    // More than a day of footage covers every hour.
    const allHours = Array.from({ length: 26 }, (_, i) => new Date(Date.UTC(2026, 2, 9, 8 + i)).toISOString().slice(0, 19))
    expect(footageSpan(buckets(...allHours))).toEqual({ fromHour: 0, toHour: 24 })
    expect(footageSpan([{ start: '2026-03-09T09:00:00', framesUsed: 0 }])).toBeNull()
  })
})

describe('picking a window in the selects', () => {
  it('wraps past midnight when the end is picked before the start', () => {
    expect(picked(['from', 22], ['to', 2])).toEqual({ fromHour: 22, toHour: 2 })
    expect(windowLabel(picked(['from', 22], ['to', 2]))).toBe('22:00 to 02:00')
    // A wrapping window keeps its end when its start moves.
    expect(picked(['from', 22], ['to', 2], ['from', 23])).toEqual({ fromHour: 23, toHour: 2 })
    expect(picked(['from', 22], ['to', 2], ['from', 1])).toEqual({ fromHour: 1, toHour: 2 })
    expect(picked(['from', 22], ['to', 2], ['to', 24])).toEqual({ fromHour: 22, toHour: 24 })
  })

  it('keeps at least an hour, and moves the end along past a window within the day', () => {
    expect(picked(['from', 12], ['to', 13], ['from', 15])).toEqual({ fromHour: 15, toHour: 16 })
    expect(picked(['from', 12], ['to', 13], ['from', 13])).toEqual({ fromHour: 13, toHour: 14 })
    expect(picked(['from', 12], ['to', 12])).toEqual({ fromHour: 11, toHour: 12 })
    expect(picked(['from', 22], ['to', 2], ['from', 2])).toEqual({ fromHour: 2, toHour: 3 })
    expect(picked(['from', 5], ['from', 0])).toBeNull()
  })

  it('only ever makes windows the API accepts', () => {
    const shown = [null, { fromHour: 9, toHour: 17 }, { fromHour: 22, toHour: 2 }, { fromHour: 23, toHour: 24 }, { fromHour: 0, toHour: 1 }]
    for (const window of shown) {
      for (const from of FROM_HOURS) {
        const w = pickFrom(selectValues(window), from)
        if (w) expect(TimeWindowSchema.safeParse(w).success, JSON.stringify([window, 'from', from])).toBe(true)
      }
      for (const to of TO_HOURS) {
        const w = pickTo(selectValues(window), to)
        if (w) expect(TimeWindowSchema.safeParse(w).success, JSON.stringify([window, 'to', to])).toBe(true)
      }
    }
  })

  it('finds the night’s footage in a wrapping window', () => {
    const night = buckets('2026-03-09T23:00:00', '2026-03-10T00:00:00')
    expect(hourInWindow(0, { fromHour: 22, toHour: 2 })).toBe(true)
    expect(hourInWindow(12, { fromHour: 22, toHour: 2 })).toBe(false)
    expect(windowHasFootage({ fromHour: 22, toHour: 2 }, night)).toBe(true)
    expect(windowHasFootage({ fromHour: 1, toHour: 23 }, night)).toBe(false)
  })
})
