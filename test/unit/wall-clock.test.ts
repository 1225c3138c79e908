// Clip starts the owner types: the app's API refuses what the worker would refuse, naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_API, parseArgs } from '../../src/shared/app-api'
import { OCCUPANCY_DEFAULTS } from '../../src/shared/settings'
import { AnalysisJobSchema } from '../../src/shared/worker-protocol'
import { WallClockSchema, wallClockMs } from '../../src/shared/wall-clock'
import { CallRejected, parseCall } from '../../src/main/services/api-dispatch'
import { clockAt } from '../../src/main/services/day-timeline'

const setStart = (start: unknown): unknown[] => ['shop', 'monday', '/footage/a.mp4', start]
const job = { inputs: ['/footage/a.mp4'], outDir: '/o', settings: OCCUPANCY_DEFAULTS, ffmpegPath: 'f', ffprobePath: 'p' }

describe('wall-clock times', () => {
  it('reads real moments as UTC milliseconds', () => {
    expect(wallClockMs('2026-03-10T09:00')).toBe(Date.UTC(2026, 2, 10, 9, 0))
    expect(wallClockMs('2026-03-10T09:00:05')).toBe(Date.UTC(2026, 2, 10, 9, 0, 5))
    for (const bad of ['2026-02-30T25:61', '2026-02-30T10:00', '2026-13-01T10:00', '2026-03-10T24:00', '2026-03-10 09:00', '09:00', '2026-03-10T09:00Z']) {
      expect(wallClockMs(bad), bad).toBeNull()
    }
  })

  it('refuses an impossible clip start at the API, naming it (the browser host answers 400)', () => {
    expect(APP_API.setClipStart.args.safeParse(setStart('2026-03-10T09:00')).success).toBe(true)
    expect(APP_API.setClipStart.args.safeParse(setStart('2026-03-10T09:00:05')).success).toBe(true)
    expect(() => parseArgs('setClipStart', setStart('2026-02-30T25:61'))).toThrow(/^invalid arguments for setClipStart: 2026-02-30T25:61 is not a real date and time/)
    expect(() => parseCall('setClipStart', setStart('2026-02-30T25:61'))).toThrow(CallRejected)
    expect(() => parseArgs('setClipStart', setStart('x'.repeat(5000)))).toThrow(/^invalid arguments for setClipStart: x{40} is not/)
  })

  it('is the one rule the worker applies too', () => {
    for (const start of ['2026-03-10T09:00', '2026-03-10T09:00:05', '2026-02-30T25:61', '2026-02-29T12:00', '2028-02-29T12:00']) {
      const api = APP_API.setClipStart.args.safeParse(setStart(start)).success
      expect(WallClockSchema.safeParse(start).success, start).toBe(api)
      expect(AnalysisJobSchema.safeParse({ ...job, start }).success, start).toBe(api)
      expect(AnalysisJobSchema.safeParse({ ...job, starts: [start] }).success, start).toBe(api)
    }
  })
})

// The services' half of the renderer's test/renderer/timeline-clock.test.ts: the same clock times.
describe('the services, where summer time starts (TZ=Europe/Berlin)', () => {
  const saved = process.env.TZ
  beforeAll(() => {
    process.env.TZ = 'Europe/Berlin'
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  it('name the clock times the renderer names', () => {
    expect(new Date(2026, 2, 29, 2, 30).getHours()).toBe(3)
    const clocks = [0, 1800, 3599, 3600, 5400, 7200, 10_800.4].map((seconds) => clockAt('2026-03-29T01:30:00', seconds)!.slice(11))
    expect(clocks).toEqual(['01:30:00', '02:00:00', '02:29:59', '02:30:00', '03:00:00', '03:30:00', '04:30:00'])
  })
})
