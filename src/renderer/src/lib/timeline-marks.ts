// The marks drawn on the day's timeline between clips. One line per clip buried the thumbnails on
// days of many short clips (510 one-minute clips made the strip solid), and a stretch with no
// footage (09:20 to 09:45) showed only as a silent jump of the axis. So: a time with no footage
// between two clips is a visible break; clips that follow on without a gap get a small tick; and
// no two marks are drawn closer than a few pixels: close ones merge into one.
import { clockOf, parseWallClock, type Segment } from './timeline'

/** Missing footage shorter than this is the recorder's usual seam between files, not a gap. */
export const GAP_MIN_SECONDS = 30

export interface TimelineMark {
  /** Where on the day's timeline (seconds of footage), at the first of the merged places. */
  seconds: number
  /** A break in time (footage missing) or clips that follow on. */
  kind: 'gap' | 'join'
  /** Seconds of the day with no footage, over the merged places (0 for joins). */
  missingSeconds: number
  /** The clock times around a single gap ("09:20", "09:45"), when the clips say them. */
  from: string | null
  to: string | null
  /** How many clip boundaries this mark stands for. */
  count: number
}

/** Seconds of clock time between the end of `previous` and the start of `next`; null when unknown. */
function missingBetween(previous: Segment, next: Segment): number | null {
  const a = parseWallClock(previous.clip.startedAt)
  const b = parseWallClock(next.clip.startedAt)
  if (!a || !b) return null
  return (b.getTime() - a.getTime()) / 1000 - (previous.end - previous.start)
}

/**
 * The marks between clips for a timeline `widthPx` wide: a boundary closer than `minPx` to the
 * mark before it joins that mark (a break wins over a tick, so no gap is hidden).
 */
export function timelineMarks(segments: Segment[], widthPx: number, minPx = 8): TimelineMark[] {
  const total = segments.length > 0 ? segments[segments.length - 1].end : 0
  if (total <= 0 || segments.length < 2) return []
  const minSeconds = (Math.max(minPx, 1) / Math.max(widthPx, 1)) * total
  const marks: TimelineMark[] = []
  for (let i = 1; i < segments.length; i++) {
    const previous = segments[i - 1]
    const next = segments[i]
    const missing = missingBetween(previous, next)
    const gap = missing !== null && missing >= GAP_MIN_SECONDS
    const mark: TimelineMark = {
      seconds: next.start,
      kind: gap ? 'gap' : 'join',
      missingSeconds: gap ? missing : 0,
      from: gap ? clockAfter(previous) : null,
      to: gap ? clockStart(next) : null,
      count: 1
    }
    const last = marks[marks.length - 1]
    if (last && mark.seconds - last.seconds < minSeconds) {
      const merged = last.kind === 'gap' || mark.kind === 'gap'
      marks[marks.length - 1] = {
        // A break is drawn where the footage is missing, not at a tick merged into it.
        seconds: last.kind === 'join' && mark.kind === 'gap' ? mark.seconds : last.seconds,
        kind: merged ? 'gap' : 'join',
        missingSeconds: last.missingSeconds + mark.missingSeconds,
        // Around one gap the clocks say where it is; merged with others, only how long in all.
        from: last.kind === 'gap' && mark.kind === 'gap' ? null : (last.from ?? mark.from),
        to: last.kind === 'gap' && mark.kind === 'gap' ? null : (last.to ?? mark.to),
        count: last.count + 1
      }
    } else {
      marks.push(mark)
    }
  }
  return marks
}

function clockStart(segment: Segment): string | null {
  const start = parseWallClock(segment.clip.startedAt)
  return start ? clockOf(start, false) : null
}

function clockAfter(segment: Segment): string | null {
  const start = parseWallClock(segment.clip.startedAt)
  return start ? clockOf(new Date(start.getTime() + Math.round((segment.end - segment.start) * 1000)), false) : null
}

/** "25 min", "1 h 10 min", "40 s": how long the footage is missing. */
export function formatMissing(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return m === 0 ? `${h} h` : `${h} h ${m} min`
}

/** What a mark says when hovered: which clips meet there, or what is missing. */
export function describeMark(mark: TimelineMark): string {
  if (mark.kind === 'join') return mark.count === 1 ? 'Next clip starts' : `${mark.count} clips start here`
  const span = mark.from && mark.to ? ` (${mark.from} to ${mark.to})` : ''
  const more = mark.count > 1 ? `, ${mark.count} clip boundaries` : ''
  return `No footage for ${formatMissing(mark.missingSeconds)}${span}${more}`
}
