// Hours of the day: the time-of-day filter (from/to hour) and the labels the owner reads.
import type { TimeWindow } from '../../../../../shared/app-api'

/** "12:00" for 12; "24:00" for the end of the day. */
export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`
}

/** The clock hour of an hour bucket's start ("2025-05-02T12:00:00", or "12:00"), or null. */
export function hourOfStart(start: string): number | null {
  const match = /(?:T|^)(\d{1,2}):\d{2}/.exec(start)
  if (!match) return null
  const hour = Number(match[1])
  return hour >= 0 && hour <= 23 ? hour : null
}

/** "12:00 to 14:00", or "the whole day". */
export function windowLabel(window: TimeWindow | null): string {
  return window ? `${hourLabel(window.fromHour)} to ${hourLabel(window.toHour)}` : 'the whole day'
}

/** The window for two select values, or null for the whole day (00:00 to 24:00). */
export function windowFrom(fromHour: number, toHour: number): TimeWindow | null {
  const from = Math.min(Math.max(Math.trunc(fromHour), 0), 23)
  let to = Math.min(Math.max(Math.trunc(toHour), 1), 24)
  // Choosing a start after the end moves the end along: one hour at least.
  if (to <= from) to = from + 1
  if (from === 0 && to === 24) return null
  return { fromHour: from, toHour: to }
}

/** The select values showing a window (the whole day is 00:00 to 24:00). */
export function selectValues(window: TimeWindow | null): { fromHour: number; toHour: number } {
  return window ? { fromHour: window.fromHour, toHour: window.toHour } : { fromHour: 0, toHour: 24 }
}

/** One clock hour, as a click on the activity chart picks it. */
export function windowForHour(hour: number): TimeWindow {
  return { fromHour: hour, toHour: hour + 1 }
}

export function hourInWindow(hour: number, window: TimeWindow | null): boolean {
  return window === null || (hour >= window.fromHour && hour < window.toHour)
}

/** The hours the footage covers, from the day's hour buckets, e.g. 9 to 18 (end exclusive). */
export function footageSpan(hours: ReadonlyArray<{ start: string; framesUsed: number }>): TimeWindow | null {
  const clock = hours.filter((h) => h.framesUsed > 0).map((h) => hourOfStart(h.start)).filter((h): h is number => h !== null)
  if (clock.length === 0) return null
  return { fromHour: Math.min(...clock), toHour: Math.max(...clock) + 1 }
}

/** Does the window hold any footage at all? */
export function windowHasFootage(window: TimeWindow | null, hours: ReadonlyArray<{ start: string; framesUsed: number }>): boolean {
  return hours.some((h) => {
    const hour = hourOfStart(h.start)
    return h.framesUsed > 0 && hour !== null && hourInWindow(hour, window)
  })
}

export const FROM_HOURS: readonly number[] = Array.from({ length: 24 }, (_, h) => h)
export const TO_HOURS: readonly number[] = Array.from({ length: 24 }, (_, h) => h + 1)
