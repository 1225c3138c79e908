// The day's timeline: its usable clips end to end, and where a moment of it falls (which clip,
// how far in, what the clock said). Pure functions, so the scrubber stays a thin view.
import type { Clip } from '../../../shared/project'
import { wallClockMs } from '../../../shared/wall-clock'
import { fileName } from './format'

export interface Segment {
  clip: Clip
  /** Seconds from the start of the day's timeline. */
  start: number
  end: number
  fps: number
}

/** Frame rate assumed for stepping when a clip does not say. */
const FALLBACK_FPS = 25

/** The clips the analysis reads, in order: readable ones with a known length. */
export function usableClips(clips: Clip[]): Clip[] {
  return clips.filter((c) => c.problem === null && c.durationSeconds !== null && c.durationSeconds > 0)
}

export function segmentsOf(clips: Clip[]): Segment[] {
  const segments: Segment[] = []
  let start = 0
  for (const clip of usableClips(clips)) {
    const length = clip.durationSeconds ?? 0
    segments.push({ clip, start, end: start + length, fps: clip.fps && clip.fps > 0 ? clip.fps : FALLBACK_FPS })
    start += length
  }
  return segments
}

export function totalSeconds(segments: Segment[]): number {
  return segments.length > 0 ? segments[segments.length - 1].end : 0
}

export function segmentAt(segments: Segment[], seconds: number): Segment | null {
  if (segments.length === 0) return null
  for (const s of segments) if (seconds < s.end) return s
  return segments[segments.length - 1]
}

/** The last moment with a frame: one frame before the end. */
export function lastMoment(segments: Segment[]): number {
  const last = segments[segments.length - 1]
  return last ? Math.max(0, last.end - 1 / last.fps) : 0
}

/** Keeps a moment on the day and on its clip's frame grid, so stepping lands on whole frames. */
export function snap(segments: Segment[], seconds: number): number {
  const clamped = Math.min(Math.max(seconds, 0), lastMoment(segments))
  const s = segmentAt(segments, clamped)
  if (!s) return 0
  const frame = Math.round((clamped - s.start) * s.fps)
  return Math.min(s.start + frame / s.fps, lastMoment(segments))
}

/** One frame forward or back from `seconds`, crossing into the next or previous clip. */
export function stepFrame(segments: Segment[], seconds: number, direction: 1 | -1): number {
  const s = segmentAt(segments, seconds)
  if (!s) return 0
  const frame = Math.round((seconds - s.start) * s.fps) + direction
  if (frame < 0) {
    const i = segments.indexOf(s)
    if (i === 0) return 0
    const prev = segments[i - 1]
    return snap(segments, prev.end - 1 / prev.fps)
  }
  const next = s.start + frame / s.fps
  if (next >= s.end - 1e-9) {
    const i = segments.indexOf(s)
    return i === segments.length - 1 ? lastMoment(segments) : segments[i + 1].start
  }
  return next
}

/**
 * "YYYY-MM-DDTHH:MM[:SS]" (the recorder's clock, no zone) as a Date holding it in UTC, or null.
 * Wall-clock Dates are read and written with the UTC getters only, as the app's services do:
 * local time would skip or repeat an hour where this machine changes to or from summer time.
 */
export function parseWallClock(stamp: string | null): Date | null {
  const ms = stamp ? wallClockMs(stamp) : null
  return ms === null ? null : new Date(ms)
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

export function clockOf(date: Date, withSeconds = true): string {
  const hm = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`
  return withSeconds ? `${hm}:${pad2(date.getUTCSeconds())}` : hm
}

/** The value a datetime-local input takes, and setClipStart: YYYY-MM-DDTHH:MM:SS. */
export function toWallClockStamp(date: Date): string {
  return date.toISOString().slice(0, 19)
}

/** Wall-clock time at a moment of the day, when its clip's start is known. */
export function clockAt(segments: Segment[], seconds: number): Date | null {
  const s = segmentAt(segments, seconds)
  const start = parseWallClock(s?.clip.startedAt ?? null)
  if (!s || !start) return null
  // Whole milliseconds, as the services round them, so both name the same second.
  return new Date(start.getTime() + Math.round((seconds - s.start) * 1000))
}

/** 0:05 / 12:30 / 1:02:03: time since the start of the footage. */
export function formatElapsed(seconds: number, withFraction = false): string {
  // Whole milliseconds first, as clockAt: 59.9 s comes as 59.899999... and floored straight to
  // hundredths it read 0:59.89.
  const ms = Math.round(seconds * 1000)
  const whole = Math.floor(ms / 1000)
  const h = Math.floor(whole / 3600)
  const m = Math.floor((whole % 3600) / 60)
  const s = whole % 60
  const frac = withFraction ? `.${String(Math.floor((ms % 1000) / 10)).padStart(2, '0')}` : ''
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}${frac}` : `${m}:${pad2(s)}${frac}`
}

/** How a moment is named to the owner: its clock time if known, else time into the footage. */
export function describeMoment(segments: Segment[], seconds: number): { time: string; clip: string; known: boolean } {
  const s = segmentAt(segments, seconds)
  const clock = clockAt(segments, seconds)
  const clip = s ? `${fileName(s.clip.path)}, ${formatElapsed(seconds - s.start, true)} in` : ''
  return clock ? { time: clockOf(clock), clip, known: true } : { time: formatElapsed(seconds, true), clip, known: false }
}

const TICK_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600]

export interface Tick {
  seconds: number
  label: string
}

/** About `count` round ticks for the axis, labelled with clock times where the footage says them. */
export function axisTicks(segments: Segment[], count = 8): Tick[] {
  const total = totalSeconds(segments)
  if (total <= 0) return []
  const step = TICK_STEPS.find((s) => total / s <= count) ?? TICK_STEPS[TICK_STEPS.length - 1]
  const startClock = clockAt(segments, 0)
  // Align ticks to round clock times when the clock is known (10:00, 10:15, ...).
  const clockOffset = startClock ? (startClock.getUTCHours() * 3600 + startClock.getUTCMinutes() * 60 + startClock.getUTCSeconds()) % step : 0
  const first = clockOffset === 0 ? 0 : step - clockOffset
  const ticks: Tick[] = []
  for (let t = first; t <= total + 1e-9; t += step) {
    const clock = clockAt(segments, t)
    const label = clock ? clockOf(clock, step < 60) : formatElapsed(t)
    ticks.push({ seconds: t, label })
  }
  return ticks
}
