// The note the app keeps for the owner in a day's `analysis.message`, and which notice it makes
// where the owner looks at that day: the Analyse step, the results, the day's heading.
import { lastResultOf, type AnalysisState, type Day } from '../../../shared/project'
import { INTERRUPTED_NOTE, REFERENCE_LOST_NOTE, splitNotes, STALE_NOTE } from '../../../shared/day-notes'
import type { InputSummary } from '../../../shared/summary'
import { fileName, formatDate } from './format'

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

/**
 * The line shown with a result kept from an earlier analysis while a newer one runs, or after it
 * stopped or failed (the result files stay until an analysis finishes), or null when the result
 * is the latest analysis's or there is none.
 */
export function keptResultNotice(day: Pick<Day, 'analysis' | 'lastResult'>): string | null {
  const kept = lastResultOf(day)
  if (!kept || day.analysis.status === 'done') return null
  const which = kept.finishedAt ? `the analysis of ${formatDate(kept.finishedAt)}` : 'an earlier analysis'
  return `Showing ${which}; a newer one ${day.analysis.status === 'running' ? 'is running' : 'did not finish'}.`
}

/** "2 of 3 clips", "1 of 1 clip". */
function clipsOf(count: number, total: number): string {
  return `${count} of ${total} ${total === 1 ? 'clip' : 'clips'}`
}

/** What the days list adds for a result that leaves clips out ("2 of 3 clips left out"), or null. */
export function leftOutWords(day: Pick<Day, 'analysis' | 'lastResult'>): string | null {
  const kept = lastResultOf(day)
  if (!kept?.leftOut?.length || kept.clips === undefined) return null
  return `${clipsOf(kept.leftOut.length, kept.clips)} left out`
}

/** The clips a result could not use, said above its heatmap, with each clip's name and why. */
export interface LeftOutNotice {
  line: string
  clips: Array<{ name: string; path: string; problem: string }>
}

/** From the shown result's own summary: right for a kept earlier result and for older days too. */
export function leftOutNotice(inputs: ReadonlyArray<Pick<InputSummary, 'path' | 'status' | 'problem'>>): LeftOutNotice | null {
  const left = inputs.filter((input) => input.status === 'rejected')
  if (left.length === 0) return null
  const verb = left.length === 1 ? 'was' : 'were'
  return {
    line: `${clipsOf(left.length, inputs.length)} ${verb} left out of this analysis: the heatmap does not cover ${left.length === 1 ? 'its' : 'their'} footage.`,
    clips: left.map((input) => ({ name: fileName(input.path), path: input.path, problem: input.problem ?? 'could not be used' }))
  }
}
