// A day's state in a few plain words, for lists and headings.
import { lastResultOf, type Day } from '../../../shared/project'
import type { Progress } from '../../../shared/worker-protocol'
import { isOutOfDate, leftOutWords } from './day-notice'
import { formatCount, formatSeconds } from './format'

export function dayStatus(day: Day, progress: Progress | undefined): string {
  const clips = day.clips.length === 0 ? 'no footage yet' : day.clips.length === 1 ? '1 clip' : `${day.clips.length} clips`
  // The result that Results shows: what it leaves out, and whether it is an earlier analysis's.
  const leftOut = leftOutWords(day)
  const shown = leftOut ? ` · ${leftOut}` : ''
  const kept = lastResultOf(day) ? ` · earlier result kept${shown}` : ''
  switch (day.analysis.status) {
    case 'running': {
      const fraction = progress?.framesTotal ? progress.framesDone / progress.framesTotal : day.analysis.fraction
      return `${clips} · analysing${fraction !== null ? ` ${Math.floor(fraction * 100)}%` : '…'}`
    }
    case 'done':
      // Wherever the day is listed: its result no longer matches its clips, settings or mask.
      return `${clips} · analysed${shown}${isOutOfDate(day.analysis) ? ' · out of date' : ''}`
    case 'failed':
      return `${clips} · analysis failed${kept}`
    case 'cancelled':
      return `${clips} · analysis stopped${kept}`
    case 'interrupted':
      return `${clips} · analysis unfinished${kept}`
    default:
      return clips
  }
}

export const STAGE_WORDS: Record<Progress['stage'], string> = {
  probing: 'Reading the video files…',
  reference: 'Preparing the empty scene…',
  accumulating: 'Looking at the footage…',
  writing: 'Saving the results…'
}

/** While the files of a day are read: how far that is, e.g. "120 of 1,440 files read". */
export function filesRead(progress: Progress | undefined): string | null {
  if (progress?.stage !== 'probing' || !progress.files) return null
  const { done, total } = progress.files
  return `${formatCount(done)} of ${formatCount(total)} ${total === 1 ? 'file' : 'files'} read`
}

export function timeLeft(seconds: number | null): string {
  if (seconds === null) return 'working out the time left'
  if (seconds < 5) return 'almost done'
  return `about ${formatSeconds(seconds)} left`
}
