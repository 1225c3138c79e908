// Hours of the day: the time-of-day filter (from/to hour) and the labels the owner reads.
import { hourInTimeWindow, type TimeWindow } from '../../../../../shared/app-api'

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

/**
 * The window for two select values, or null for the whole day (00:00 to 24:00). A start after
 * the end wraps past midnight (22:00 to 02:00); the same hour twice becomes one hour from it.
 */
export function windowFrom(fromHour: number, toHour: number): TimeWindow | null {
  const from = Math.min(Math.max(Math.trunc(fromHour), 0), 23)
  let to = Math.min(Math.max(Math.trunc(toHour), 1), 24)
  if (to === from) to = from + 1
  if (from === 0 && to === 24) return null
  return { fromHour: from, toHour: to }
}

/**
 * A new start picked in the select. Past the end of a window within one day it moves the end
 * along (one hour at least) rather than wrapping into most of the day unasked; a window that
 * already wraps midnight keeps its end.
 */
export function pickFrom(shown: { fromHour: number; toHour: number }, fromHour: number): TimeWindow | null {
  const wraps = shown.fromHour > shown.toHour
  return windowFrom(fromHour, !wraps && fromHour > shown.toHour ? fromHour + 1 : shown.toHour)
}

/** A new end picked in the select: one before the start wraps past midnight (22:00, then 02:00). */
export function pickTo(shown: { fromHour: number; toHour: number }, toHour: number): TimeWindow | null {
  // The start's own hour as the end moves the start back: one hour at least.
  return windowFrom(toHour === shown.fromHour ? toHour - 1 : shown.fromHour, toHour)
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
  return hourInTimeWindow(hour, window)
}

/**
 * The hours the footage covers, from the day's hour buckets, e.g. 9 to 18 (end exclusive), or
 * 22 to 2 for a night's footage: the clock hours on a 24-hour circle, less the longest stretch
 * without footage (so the order of the buckets, and the dates, do not matter).
 */
export function footageSpan(hours: ReadonlyArray<{ start: string; framesUsed: number }>): TimeWindow | null {
  const covered = new Set(hours.filter((h) => h.framesUsed > 0).map((h) => hourOfStart(h.start)).filter((h): h is number => h !== null))
  if (covered.size === 0) return null
  if (covered.size === 24) return { fromHour: 0, toHour: 24 }
  let best: { from: number; to: number; gap: number } | null = null
  for (const hour of covered) {
    const to = (hour + 1) % 24
    if (covered.has(to)) continue
    // `to` starts a stretch without footage; the span ends there and starts after the stretch.
    let gap = 0
    while (!covered.has((to + gap) % 24)) gap++
    const from = (to + gap) % 24
    // Of two equal stretches, prefer the one that gives a span within the day.
    if (!best || gap > best.gap || (gap === best.gap && from < (to || 24))) best = { from, to, gap }
  }
  return { fromHour: best!.from, toHour: best!.to === 0 ? 24 : best!.to }
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
