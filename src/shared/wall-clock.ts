// Wall-clock times as CCTV recorders keep them: local, without a zone ("2026-03-10T09:00[:05]").
// Every side reads them as if they were UTC: UTC has no daylight-saving gaps or repeats, so
// arithmetic on them never depends on the zone of the machine that does it.
import { z } from 'zod'

const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/

/**
 * A wall-clock time as milliseconds read as UTC, or null unless it names a real moment (no 13th
 * month, no 25th hour, no 30 February): read as UTC, a real one prints back as itself.
 */
export function wallClockMs(text: string): number | null {
  if (!WALL_CLOCK.test(text)) return null
  const time = Date.parse(`${text}Z`)
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(text) ? time : null
}

/**
 * A wall-clock time as the owner types it. The app's API and the worker check it alike, so a time
 * the worker would refuse is refused when it is set, with the time named (cut short: any text).
 */
export const WallClockSchema = z.string().refine((text) => wallClockMs(text) !== null, {
  error: (issue) => `${String(issue.input).slice(0, 40)} is not a real date and time (write YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS)`
})
