// A day's timeline: its usable clips end to end, as the analysis reads them. Maps a moment of the
// day (seconds from the start of the first clip) to the clip that holds it, the time inside that
// clip and, when the clip's start is known, the wall-clock time.
import type { Clip } from '../../shared/project'
import { AppError } from './app-error'

export interface TimelineEntry {
  clip: Clip
  /** Day seconds where this clip begins and ends. */
  from: number
  to: number
}

export interface Timeline {
  entries: TimelineEntry[]
  duration: number
}

export interface TimelinePoint {
  clip: Clip
  clipSeconds: number
  /** Wall-clock time, YYYY-MM-DDTHH:MM:SS (local, no zone), or null when the clip's start is unknown. */
  clock: string | null
}

/** Clips the analysis will read: readable ones of the day's size (the others carry a problem). */
export function usableClips(clips: Clip[]): Clip[] {
  return clips.filter((c) => c.problem === null)
}

/**
 * The usable clips end to end. A clip of unknown length (a raw stream) takes no room on the
 * timeline: its frames cannot be placed in time.
 */
export function dayTimeline(clips: Clip[]): Timeline {
  const entries: TimelineEntry[] = []
  let t = 0
  for (const clip of usableClips(clips)) {
    const length = clip.durationSeconds ?? 0
    entries.push({ clip, from: t, to: t + length })
    t += length
  }
  return { entries, duration: t }
}

/** The clock `seconds` after a clip's start; null without a start. */
export function clockAt(startedAt: string | null, seconds: number): string | null {
  if (!startedAt) return null
  const t = Date.parse(startedAt + 'Z')
  if (!Number.isFinite(t)) return null
  return new Date(t + Math.round(seconds * 1000)).toISOString().slice(0, 19)
}

/** The last moment of a clip that still has a frame: one frame before its end. */
function lastFrameTime(clip: Clip): number {
  const d = clip.durationSeconds ?? 0
  return Math.max(0, d - 1 / (clip.fps ?? 10))
}

/**
 * Where a moment of the day is. The end of the day itself maps to the last frame; anything
 * later is an error naming the day and its length.
 */
export function locate(timeline: Timeline, seconds: number, dayName: string): TimelinePoint {
  const { entries, duration } = timeline
  if (entries.length === 0) throw new AppError('invalid', `${dayName} has no usable clips yet; add footage first.`)
  if (!(seconds >= 0) || seconds > duration + 1e-6) {
    throw new AppError('invalid', `${dayName} is ${duration.toFixed(1)} s long, so there is no moment at ${seconds} s.`)
  }
  let entry = entries.find((e) => seconds < e.to) ?? entries.at(-1)!
  // Zero-length entries (unknown durations) hold no moment; fall back to the last clip that has one.
  if (entry.to === entry.from) entry = [...entries].reverse().find((e) => e.to > e.from) ?? entry
  const clipSeconds = Math.min(Math.max(0, seconds - entry.from), lastFrameTime(entry.clip))
  return { clip: entry.clip, clipSeconds, clock: clockAt(entry.clip.startedAt, clipSeconds) }
}

/** A frame named by its clip rather than by day seconds, which shift when the day's clips change. */
export interface ClipFrame {
  path: string
  clipSeconds: number
}

/** The clip frame a moment of the day shows, or null when the day has no such moment. */
export function frameAt(timeline: Timeline, seconds: number, dayName: string): ClipFrame | null {
  try {
    const at = locate(timeline, seconds, dayName)
    return { path: at.clip.path, clipSeconds: at.clipSeconds }
  } catch (error) {
    if (error instanceof AppError) return null
    throw error
  }
}

/** The moment of the day that shows a clip frame, or null when that clip is not on the timeline. */
export function momentOf(timeline: Timeline, frame: ClipFrame): number | null {
  const entry = timeline.entries.find((e) => e.clip.path === frame.path && e.to > e.from)
  return entry ? entry.from + frame.clipSeconds : null
}
