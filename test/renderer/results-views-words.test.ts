// The time-of-day filter and the numbers and sentences the owner reads.
import { describe, expect, it } from 'vitest'
import { TimeWindowSchema } from '../../src/shared/app-api'
import {
  busiestHour,
  byShare,
  changeTone,
  differenceLegend,
  heatmapCaption,
  hourBucketLabel,
  percent,
  pointsChange,
  zoneChangeSentence
} from '../../src/renderer/src/components/results/lib/figures'
import {
  FROM_HOURS,
  footageSpan,
  hourInWindow,
  hourLabel,
  hourOfStart,
  selectValues,
  TO_HOURS,
  windowForHour,
  windowFrom,
  windowHasFootage,
  windowLabel
} from '../../src/renderer/src/components/results/lib/time-window'

describe('time window', () => {
  it('labels hours and windows', () => {
    expect(hourLabel(9)).toBe('09:00')
    expect(hourLabel(24)).toBe('24:00')
    expect(windowLabel({ fromHour: 12, toHour: 14 })).toBe('12:00 to 14:00')
    expect(windowLabel(null)).toBe('the whole day')
  })

  it('reads the clock hour of an hour bucket', () => {
    expect(hourOfStart('2025-05-02T12:00:00')).toBe(12)
    expect(hourOfStart('2025-05-02T09:30')).toBe(9)
    expect(hourOfStart('07:00')).toBe(7)
    expect(hourOfStart('soon')).toBeNull()
  })

  it('makes windows the contract accepts from the two selects', () => {
    expect(windowFrom(12, 14)).toEqual({ fromHour: 12, toHour: 14 })
    expect(windowFrom(0, 24)).toBeNull()
    // A start after the end wraps past midnight; the same hour twice is one hour from it.
    expect(windowFrom(23, 3)).toEqual({ fromHour: 23, toHour: 3 })
    expect(windowFrom(14, 14)).toEqual({ fromHour: 14, toHour: 15 })
    for (const from of FROM_HOURS) {
      for (const to of TO_HOURS) {
        const w = windowFrom(from, to)
        if (w) expect(TimeWindowSchema.safeParse(w).success).toBe(true)
      }
    }
  })

  it('shows the whole day as 00:00 to 24:00 in the selects', () => {
    expect(selectValues(null)).toEqual({ fromHour: 0, toHour: 24 })
    expect(selectValues({ fromHour: 8, toHour: 10 })).toEqual({ fromHour: 8, toHour: 10 })
  })

  it('picks one hour from a bar, and tells which hours are in a window', () => {
    expect(windowForHour(13)).toEqual({ fromHour: 13, toHour: 14 })
    expect(hourInWindow(13, { fromHour: 12, toHour: 14 })).toBe(true)
    expect(hourInWindow(14, { fromHour: 12, toHour: 14 })).toBe(false)
    expect(hourInWindow(3, null)).toBe(true)
  })

  it('knows which hours the footage covers', () => {
    const hours = [
      { start: '2025-05-02T09:00:00', framesUsed: 10 },
      { start: '2025-05-02T10:00:00', framesUsed: 0 },
      { start: '2025-05-02T11:00:00', framesUsed: 4 }
    ]
    expect(footageSpan(hours)).toEqual({ fromHour: 9, toHour: 12 })
    expect(footageSpan([])).toBeNull()
    expect(windowHasFootage({ fromHour: 10, toHour: 11 }, hours)).toBe(false)
    expect(windowHasFootage({ fromHour: 11, toHour: 14 }, hours)).toBe(true)
    expect(windowHasFootage(null, hours)).toBe(true)
  })
})

describe('figures in plain words', () => {
  it('writes shares as percentages and changes as points', () => {
    expect(percent(0.1234)).toBe('12.3 %')
    expect(percent(Number.NaN)).toBe('–')
    expect(pointsChange(0.032)).toBe('+3.2 points')
    expect(pointsChange(-0.01)).toBe('\u22121.0 points')
    expect(pointsChange(0.0001)).toBe('no change')
    expect(changeTone(0.02)).toBe('more')
    expect(changeTone(-0.02)).toBe('less')
    expect(changeTone(0)).toBe('same')
  })

  it('explains the colours of the difference and a zone change', () => {
    const legend = differenceLegend('Monday', 'Tuesday')
    expect(legend.more).toBe('Red: people spent more time here on Tuesday.')
    expect(legend.less).toBe('Blue: people spent less time here on Tuesday than on Monday.')
    expect(zoneChangeSentence('Checkout', 0.05, 'Monday', 'Tuesday')).toBe('Checkout: busier on Tuesday than on Monday (+5.0 points).')
    expect(zoneChangeSentence('Window', -0.05, 'Monday', 'Tuesday')).toMatch(/quieter on Tuesday/)
    expect(zoneChangeSentence('Door', 0, 'Monday', 'Tuesday')).toMatch(/about the same/)
  })

  it('says what the heatmap shows', () => {
    expect(heatmapCaption('Tuesday', null)).toMatch(/^Where people spent their time on Tuesday, over the whole day\./)
    expect(heatmapCaption('Tuesday', { fromHour: 12, toHour: 14 })).toMatch(/from 12:00 to 14:00/)
  })

  it('finds a zone’s busiest hour and sorts zones busiest first', () => {
    const zone = {
      zoneId: 'a',
      name: 'A',
      share: 0.2,
      byHour: [
        { hour: '2025-05-02T09:00:00', share: 0.1 },
        { hour: '2025-05-02T10:00:00', share: 0.3 }
      ]
    }
    expect(busiestHour(zone)).toBe('10:00')
    expect(busiestHour({ ...zone, byHour: [{ hour: '2025-05-02T10:00:00', share: 0 }] })).toBeNull()
    expect(hourBucketLabel('2025-05-02T10:00:00')).toBe('10:00')
    expect(byShare([{ share: 0.1 }, { share: 0.5 }]).map((z) => z.share)).toEqual([0.5, 0.1])
  })
})
