// Which notice the owner sees about a day's note (analysis.message), for each status and note.
import { describe, expect, it } from 'vitest'
import { isOutOfDate, resultsNotice, runNotice } from '../../src/renderer/src/lib/day-notice'
import { INTERRUPTED_NOTE, REFERENCE_LOST_NOTE, splitNotes as noteLines, STALE_NOTE } from '../../src/shared/day-notes'
import type { AnalysisState } from '../../src/shared/project'

type Status = AnalysisState['status']
const at = (status: Status, message: string | null) => ({ status, message })

const LOST_AND_STALE = `${REFERENCE_LOST_NOTE} ${STALE_NOTE}`
const WARNINGS = 'Finished with 2 warnings: a.mp4: cut off; b.mp4: cut off'
const STATUSES: Status[] = ['never', 'running', 'done', 'failed', 'cancelled', 'interrupted']

describe('the Analyse step', () => {
  it('says nothing more when a day has no note, while running, or when failed (shown as the error)', () => {
    for (const status of STATUSES) {
      expect(runNotice(at(status, null))).toBeNull()
      expect(runNotice(at(status, '  '))).toBeNull()
    }
    expect(runNotice(at('running', STALE_NOTE))).toBeNull()
    expect(runNotice(at('failed', 'The clip a.mp4 could not be read.'))).toBeNull()
    expect(runNotice(at('failed', STALE_NOTE))).toBeNull()
  })

  it('tells a finished day that is out of date, as a warning', () => {
    expect(runNotice(at('done', STALE_NOTE))).toEqual({ outOfDate: true, label: 'Out of date:', lines: [STALE_NOTE] })
  })

  it('tells both notes, one a line, when the picked frame went with its clip', () => {
    expect(runNotice(at('done', LOST_AND_STALE))).toEqual({ outOfDate: true, label: 'Out of date:', lines: [REFERENCE_LOST_NOTE, STALE_NOTE] })
    expect(runNotice(at('done', REFERENCE_LOST_NOTE))).toEqual({ outOfDate: true, label: 'Out of date:', lines: [REFERENCE_LOST_NOTE] })
  })

  it('shows a finished day’s warnings as a note, not as out of date', () => {
    expect(runNotice(at('done', WARNINGS))).toEqual({ outOfDate: false, label: 'Note:', lines: [WARNINGS] })
  })

  it('shows the lost-frame note on days not analysed, stopped or unfinished', () => {
    for (const status of ['never', 'cancelled', 'interrupted'] as const) {
      expect(runNotice(at(status, REFERENCE_LOST_NOTE))).toEqual({ outOfDate: false, label: 'Note:', lines: [REFERENCE_LOST_NOTE] })
    }
  })

  it('does not repeat that the app was closed: the step already says so', () => {
    expect(runNotice(at('interrupted', INTERRUPTED_NOTE))).toBeNull()
    expect(runNotice(at('interrupted', `${INTERRUPTED_NOTE}\n`))).toBeNull()
  })
})

describe('out of date', () => {
  it('is only ever a finished day whose note says its inputs changed', () => {
    expect(isOutOfDate(at('done', STALE_NOTE))).toBe(true)
    expect(isOutOfDate(at('done', LOST_AND_STALE))).toBe(true)
    expect(isOutOfDate(at('done', WARNINGS))).toBe(false)
    expect(isOutOfDate(at('done', null))).toBe(false)
    for (const status of STATUSES.filter((s) => s !== 'done')) expect(isOutOfDate(at(status, STALE_NOTE))).toBe(false)
  })

  it('puts one line above the heatmap, in words', () => {
    const line = resultsNotice(at('done', LOST_AND_STALE))
    expect(line).toMatch(/^Out of date: /)
    expect(line).not.toContain('\n')
    expect(resultsNotice(at('done', STALE_NOTE))).toBe(line)
    expect(resultsNotice(at('done', WARNINGS))).toBeNull()
    expect(resultsNotice(at('done', null))).toBeNull()
    expect(resultsNotice(at('cancelled', STALE_NOTE))).toBeNull()
  })
})

describe('note lines', () => {
  it('splits the lost-frame note from what follows it and keeps other notes whole', () => {
    expect(noteLines(LOST_AND_STALE)).toEqual([REFERENCE_LOST_NOTE, STALE_NOTE])
    expect(noteLines(`${REFERENCE_LOST_NOTE} ${WARNINGS}`)).toEqual([REFERENCE_LOST_NOTE, WARNINGS])
    expect(noteLines(WARNINGS)).toEqual([WARNINGS])
    expect(noteLines('')).toEqual([])
  })
})
