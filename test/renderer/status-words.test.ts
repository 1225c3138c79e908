// The words a running analysis shows while it reads a day's files.
import { describe, expect, it } from 'vitest'
import { dayStatus, filesRead, STAGE_WORDS } from '../../src/renderer/src/lib/status'
import { STALE_NOTE } from '../../src/shared/day-notes'
import type { Day } from '../../src/shared/project'
import type { Progress } from '../../src/shared/worker-protocol'

const at = (stage: Progress['stage'], files?: Progress['files']): Progress => ({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage, ...(files ? { files } : {}) })

describe('reading the files of a day', () => {
  it('counts the files read while probing, and says nothing otherwise', () => {
    expect(STAGE_WORDS.probing).toBe('Reading the video files…')
    expect(filesRead(at('probing', { done: 120, total: 1440 }))).toBe(`120 of ${(1440).toLocaleString()} files read`)
    expect(filesRead(at('probing', { done: 1, total: 1 }))).toBe('1 of 1 file read')
    expect(filesRead(at('probing'))).toBeNull()
    expect(filesRead(at('accumulating', { done: 3, total: 3 }))).toBeNull()
    expect(filesRead(undefined)).toBeNull()
  })
})

describe('a day in lists and headings', () => {
  const day = (analysis: Partial<Day['analysis']>): Day =>
    ({ id: 'mon', name: 'Monday', clips: [{}, {}, {}], analysis: { status: 'done', fraction: 1, message: null, ...analysis } }) as unknown as Day

  it('says a finished day is out of date when its clips, settings or mask changed since', () => {
    expect(dayStatus(day({}), undefined)).toBe('3 clips · analysed')
    expect(dayStatus(day({ message: STALE_NOTE }), undefined)).toBe('3 clips · analysed · out of date')
    expect(dayStatus(day({ status: 'cancelled', message: STALE_NOTE }), undefined)).toBe('3 clips · analysis stopped')
  })
})

describe('a day whose result leaves clips out, or is an earlier analysis’s', () => {
  const day = (analysis: Partial<Day['analysis']>, lastResult?: Day['lastResult']): Day =>
    ({ id: 'mon', name: 'Monday', clips: [{}, {}, {}], analysis: { status: 'done', fraction: 1, message: null, finishedAt: null, ...analysis }, ...(lastResult ? { lastResult } : {}) }) as unknown as Day
  const leftOut = [{ path: '/f/a.mp4', problem: 'cut short' }, { path: '/f/b.mp4', problem: 'gone' }]

  it('says how many clips the heatmap leaves out', () => {
    expect(dayStatus(day({}, { finishedAt: null, clips: 3, leftOut }), undefined)).toBe('3 clips · analysed · 2 of 3 clips left out')
    expect(dayStatus(day({ message: STALE_NOTE }, { finishedAt: null, clips: 3, leftOut: leftOut.slice(1) }), undefined)).toBe('3 clips · analysed · 1 of 3 clips left out · out of date')
    expect(dayStatus(day({}, { finishedAt: null, clips: 3, leftOut: [] }), undefined)).toBe('3 clips · analysed')
    // Finished by a version that did not record them: not known here (the results say it).
    expect(dayStatus(day({}, { finishedAt: null }), undefined)).toBe('3 clips · analysed')
  })

  it('says a stopped or failed newer analysis left the earlier result', () => {
    const kept = { finishedAt: '2026-03-09T18:00:00.000Z', clips: 3, leftOut }
    expect(dayStatus(day({ status: 'cancelled' }, kept), undefined)).toBe('3 clips · analysis stopped · earlier result kept · 2 of 3 clips left out')
    expect(dayStatus(day({ status: 'failed' }, { ...kept, leftOut: [] }), undefined)).toBe('3 clips · analysis failed · earlier result kept')
    expect(dayStatus(day({ status: 'interrupted' }, { ...kept, leftOut: [] }), undefined)).toBe('3 clips · analysis unfinished · earlier result kept')
    expect(dayStatus(day({ status: 'cancelled' }), undefined)).toBe('3 clips · analysis stopped')
  })
})
