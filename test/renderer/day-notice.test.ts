// Which notice the owner sees about a day's note (analysis.message), for each status and note.
import { describe, expect, it } from 'vitest'
import { isOutOfDate, keptResultNotice, leftOutNotice, leftOutWords, resultsNotice, runNotice } from '../../src/renderer/src/lib/day-notice'
import { formatDate } from '../../src/renderer/src/lib/format'
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

describe('a result kept from an earlier analysis', () => {
  const FINISHED = '2026-03-09T18:00:00.000Z'
  const day = (status: Status, lastResult?: { finishedAt: string | null }) => ({ analysis: { status, fraction: null, message: null, finishedAt: null }, lastResult })

  it('says which analysis is shown while a newer one runs, and after it stopped or failed', () => {
    const when = formatDate(FINISHED)
    expect(keptResultNotice(day('running', { finishedAt: FINISHED }))).toBe(`Showing the analysis of ${when}; a newer one is running.`)
    for (const status of ['cancelled', 'failed', 'interrupted'] as const) {
      expect(keptResultNotice(day(status, { finishedAt: FINISHED }))).toBe(`Showing the analysis of ${when}; a newer one did not finish.`)
    }
    expect(keptResultNotice(day('cancelled', { finishedAt: null }))).toBe('Showing an earlier analysis; a newer one did not finish.')
  })

  it('says nothing of the latest analysis’s own result, or without a result', () => {
    expect(keptResultNotice(day('done', { finishedAt: FINISHED }))).toBeNull()
    expect(keptResultNotice({ analysis: { status: 'done', fraction: 1, message: null, finishedAt: FINISHED } })).toBeNull()
    expect(keptResultNotice(day('cancelled'))).toBeNull()
    expect(keptResultNotice(day('never'))).toBeNull()
  })
})

describe('clips a result left out', () => {
  const input = (path: string, problem?: string) => ({ path, status: problem ? ('rejected' as const) : ('analysed' as const), ...(problem ? { problem } : {}) })

  it('says how many of the clips, and which with why', () => {
    const notice = leftOutNotice([input('/f/a.mp4'), input('/f/b.mp4', 'is cut short'), input('C:\\f\\c.mp4', 'cannot be read')])
    expect(notice?.line).toBe('2 of 3 clips were left out of this analysis: the heatmap does not cover their footage.')
    expect(notice?.clips).toEqual([
      { name: 'b.mp4', path: '/f/b.mp4', problem: 'is cut short' },
      { name: 'c.mp4', path: 'C:\\f\\c.mp4', problem: 'cannot be read' }
    ])
    expect(leftOutNotice([input('/f/a.mp4'), input('/f/b.mp4', 'gone')])?.line).toBe('1 of 2 clips was left out of this analysis: the heatmap does not cover its footage.')
    expect(leftOutNotice([input('/f/a.mp4')])).toBeNull()
  })

  it('gives the days list a count when the finished analysis recorded its clips', () => {
    const done = { status: 'done' as const, fraction: 1, message: null, finishedAt: null }
    expect(leftOutWords({ analysis: done, lastResult: { finishedAt: null, clips: 3, leftOut: [{ path: '/a', problem: 'x' }] } })).toBe('1 of 3 clips left out')
    expect(leftOutWords({ analysis: done, lastResult: { finishedAt: null, clips: 1, leftOut: [] } })).toBeNull()
    expect(leftOutWords({ analysis: done })).toBeNull()
  })
})
