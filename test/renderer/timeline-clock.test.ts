// The renderer's clock times around daylight-saving changes: wall-clock times have no zone, so
// whatever zone this machine is in, the renderer must name the same times as the services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clip } from '../../src/shared/project'
import { axisTicks, clockAt, clockOf, describeMoment, parseWallClock, segmentsOf, toWallClockStamp } from '../../src/renderer/src/lib/timeline'

// The tests run in Node; the renderer's types know no Node.
declare const process: { env: Record<string, string | undefined> }

function clip(startedAt: string, durationSeconds: number): Clip {
  return { path: `/footage/${startedAt}.mp4`, bytes: 1, width: 320, height: 240, fps: 10, durationSeconds, startedAt, startSource: 'given', problem: null }
}

/**
 * Per zone: a local time that does not exist (spring forward), and a start before each change of
 * 2026 with the clock times after it, as the services name them (day-timeline's clockAt).
 */
const ZONES = [
  {
    zone: 'Europe/Berlin',
    missing: [2026, 2, 29, 2, 30],
    spring: { start: '2026-03-29T01:30:00', clocks: ['01:30:00', '02:00:00', '02:29:59', '02:30:00', '03:00:00', '03:30:00', '04:30:00'] },
    autumn: { start: '2026-10-25T01:30:00', clocks: ['01:30:00', '02:00:00', '02:29:59', '02:30:00', '03:00:00', '03:30:00', '04:30:00'] }
  },
  {
    zone: 'America/New_York',
    missing: [2026, 2, 8, 2, 30],
    spring: { start: '2026-03-08T01:30:00', clocks: ['01:30:00', '02:00:00', '02:29:59', '02:30:00', '03:00:00', '03:30:00', '04:30:00'] },
    autumn: { start: '2026-11-01T00:30:00', clocks: ['00:30:00', '01:00:00', '01:29:59', '01:30:00', '02:00:00', '02:30:00', '03:30:00'] }
  }
] as const

/** Seconds into the clip of each expected clock time. */
const MOMENTS = [0, 1800, 3599, 3600, 5400, 7200, 10_800.4]

describe.each(ZONES)('wall-clock times with TZ=$zone', ({ zone, missing, spring, autumn }) => {
  const saved = process.env.TZ
  beforeAll(() => {
    // Node applies a new TZ at once (it resets its zone cache when the variable is set).
    process.env.TZ = zone
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  it('runs in that zone (local time skips an hour there)', () => {
    const [y, m, d, h, min] = missing
    expect(new Date(y, m, d, h, min).getHours()).not.toBe(h)
  })

  it('names the times the services name, across both changes', () => {
    for (const { start, clocks } of [spring, autumn]) {
      const segments = segmentsOf([clip(start, 4 * 3600)])
      expect(MOMENTS.map((seconds) => clockOf(clockAt(segments, seconds)!)), start).toEqual(clocks)
    }
    // The reported case: 01:30 and half an hour later is 02:00, not 03:00.
    expect(describeMoment(segmentsOf([clip(spring.start, 3600)]), 1800).time).toBe('02:00:00')
  })

  it('pre-fills the start editor with the start as saved, even one the zone skips', () => {
    const skipped = `${spring.start.slice(0, 11)}02:30:00`
    expect(toWallClockStamp(parseWallClock(skipped)!)).toBe(skipped)
    expect(toWallClockStamp(parseWallClock(spring.start)!)).toBe(spring.start)
    expect(toWallClockStamp(parseWallClock('2026-03-29T02:30')!)).toBe('2026-03-29T02:30:00')
    expect(parseWallClock('2026-02-30T10:00:00')).toBeNull()
    expect(parseWallClock(null)).toBeNull()
  })

  it('labels the axis with every hour of the night, none skipped or doubled', () => {
    const labels = axisTicks(segmentsOf([clip(spring.start, 3 * 3600)]), 4).map((t) => t.label)
    expect(labels).toEqual(['02:00', '03:00', '04:00'])
  })
})
