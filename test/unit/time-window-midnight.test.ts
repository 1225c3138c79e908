// Footage across midnight: a time window may wrap past it (22:00 to 02:00), in the API's
// contract and wherever the app applies the window (the heatmap, the areas, the exports).
import { describe, expect, it } from 'vitest'
import { hourInTimeWindow, TimeWindowSchema } from '../../src/shared/app-api'
import type { Summary } from '../../src/shared/summary'
import { describeWindow, inWindow, shareGrid, zoneFigures, type LoadedResult } from '../../src/main/services/day-results'
import { exportFigures, exportFileName } from '../../src/main/services/exports'
import { HALVES } from '../helpers/fake-result'

/** One pixel each side (left, right): a night from 21:00 to 02:00 and a morning hour. */
function nightResult(): LoadedResult {
  const entries: Array<[string, number, [number, number]]> = [
    ['2026-03-09T09:00:00', 10, [10, 0]],
    ['2026-03-09T21:00:00', 10, [0, 10]],
    ['2026-03-09T22:00:00', 10, [10, 0]],
    ['2026-03-09T23:00:00', 10, [10, 0]],
    ['2026-03-10T00:00:00', 10, [0, 10]],
    ['2026-03-10T01:00:00', 10, [0, 0]]
  ]
  const summary = { hours: entries.map(([start, framesUsed]) => ({ start, framesUsed, meanShare: 0 })), settings: { method: 'occupancy' } } as unknown as Summary
  const hours = Float32Array.from(entries.flatMap(([, , counts]) => counts))
  return { dir: '/r', summary, width: 2, height: 1, heatmap: Float32Array.from([0.5, 0.5]), hours, backgroundPng: Buffer.alloc(0) }
}

const NIGHT = { fromHour: 22, toHour: 2 }

describe('a window across midnight', () => {
  it('is a window the API accepts; the same hour twice is not', () => {
    expect(TimeWindowSchema.safeParse(NIGHT).success).toBe(true)
    expect(TimeWindowSchema.safeParse({ fromHour: 23, toHour: 1 }).success).toBe(true)
    expect(TimeWindowSchema.safeParse({ fromHour: 12, toHour: 14 }).success).toBe(true)
    expect(TimeWindowSchema.safeParse({ fromHour: 0, toHour: 24 }).success).toBe(true)
    expect(TimeWindowSchema.safeParse({ fromHour: 5, toHour: 5 }).success).toBe(false)
    expect(TimeWindowSchema.safeParse({ fromHour: 0, toHour: 0 }).success).toBe(false)
    expect(TimeWindowSchema.safeParse({ fromHour: 24, toHour: 2 }).success).toBe(false)
  })

  it('holds the hours from its start to midnight and from midnight to its end', () => {
    const held = Array.from({ length: 24 }, (_, h) => h).filter((h) => hourInTimeWindow(h, NIGHT))
    expect(held).toEqual([0, 1, 22, 23])
    expect(Array.from({ length: 24 }, (_, h) => h).filter((h) => hourInTimeWindow(h, { fromHour: 12, toHour: 14 }))).toEqual([12, 13])
    expect(inWindow('2026-03-10T01:00:00', NIGHT)).toBe(true)
    expect(inWindow('2026-03-10T02:00:00', NIGHT)).toBe(false)
    expect(inWindow('2026-03-09T21:00:00', NIGHT)).toBe(false)
    expect(describeWindow(NIGHT)).toBe('22:00-02:00')
  })

  it('recomputes the share from the night’s hours only', () => {
    // 22:00-02:00: left 10 + 10 of 40 frames, right 10 of 40 (not the morning's, nor 21:00's).
    expect(Array.from(shareGrid(nightResult(), NIGHT, 'Monday').values)).toEqual([0.5, 0.25])
    // 23:00-01:00: left 10 of 20 frames, right 10 of 20.
    expect(Array.from(shareGrid(nightResult(), { fromHour: 23, toHour: 1 }, 'Monday').values)).toEqual([0.5, 0.5])
    expect(() => shareGrid(nightResult(), { fromHour: 3, toHour: 8 }, 'Monday')).toThrow('Monday has no footage between 03:00-08:00.')
  })

  it('gives the areas and the exports the night’s hours, in the order they happened', () => {
    const r = nightResult()
    const share = shareGrid(r, NIGHT, 'Monday')
    const byHour = zoneFigures(r, share, HALVES, NIGHT)[0].byHour.map((h) => h.hour)
    expect(byHour).toEqual(['2026-03-09T22:00:00', '2026-03-09T23:00:00', '2026-03-10T00:00:00', '2026-03-10T01:00:00'])
    const figures = exportFigures(r, HALVES, NIGHT, 'Monday')
    expect(figures.hours).toEqual(byHour)
    expect(Array.from(figures.share.values)).toEqual([0.5, 0.25])
    expect(exportFileName({ project: 'shop', day: 'monday' }, 'grid-csv', NIGHT)).toBe('shop-monday-22-02h-heatmap.csv')
  })
})
