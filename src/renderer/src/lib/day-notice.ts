// The note the app keeps for the owner in a day's `analysis.message`, and which notice it makes
// where the owner looks at that day: the Analyse step, the results, the day's heading.
import type { AnalysisState } from '../../../shared/project'
import { INTERRUPTED_NOTE, REFERENCE_LOST_NOTE, splitNotes, STALE_NOTE } from '../../../shared/day-notes'

type Analysis = Pick<AnalysisState, 'status' | 'message'>

/** What the Analyse step shows about the day's note, besides its own words for each status. */
export interface RunNotice {
  /** A finished result that no longer matches the day: said as a gentle warning, not an error. */
  outOfDate: boolean
  /** A word before the note, so that its kind is not told by colour alone. */
  label: string
  /** The note, one line per note the app joined into the message. */
  lines: string[]
}

/**
 * True when a finished day's result no longer matches its clips, empty scene, settings or mask.
 * A lost picked frame is such a change too (the empty scene will differ next time).
 */
export function isOutOfDate(analysis: Analysis): boolean {
  const message = analysis.message
  if (analysis.status !== 'done' || !message) return false
  return message.includes(STALE_NOTE) || message.includes(REFERENCE_LOST_NOTE)
}

/**
 * The notice the Analyse step shows for the day's note, or null when there is none to add: while
 * running (no note), when failed (the failure is shown as an error, as before) and when the note
 * only repeats what the step already says (the app was closed during the analysis).
 */
export function runNotice(analysis: Analysis): RunNotice | null {
  const { status, message } = analysis
  if (status === 'running' || status === 'failed' || !message?.trim()) return null
  if (status === 'interrupted' && message.trim() === INTERRUPTED_NOTE) return null
  const outOfDate = isOutOfDate(analysis)
  return { outOfDate, label: outOfDate ? 'Out of date:' : 'Note:', lines: splitNotes(message) }
}

/** The one line the results show above a heatmap that no longer matches the day, or null. */
export function resultsNotice(analysis: Analysis): string | null {
  if (!isOutOfDate(analysis)) return null
  return 'Out of date: this heatmap was made before the latest changes to the clips, empty scene, settings or mask. Analyse the day again to update it.'
}
