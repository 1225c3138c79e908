// What the terminal's progress bar counts: the files while a day is probed, then the frames.
import { describe, expect, it } from 'vitest'
import { barCounts } from '../../src/main/cli/progress-view'
import { ProgressSchema } from '../../src/shared/worker-protocol'

describe('terminal progress bar', () => {
  it('counts files while probing and frames after, with a total even before one is known', () => {
    expect(barCounts({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing', files: { done: 7, total: 60 } })).toEqual({ value: 7, total: 60, unit: 'files' })
    expect(barCounts({ framesDone: 30, framesTotal: 300, fps: 90, etaSeconds: 3, stage: 'accumulating' })).toEqual({ value: 30, total: 300, unit: 'frames' })
    expect(barCounts({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing' })).toEqual({ value: 0, total: 1, unit: 'frames' })
  })

  it('is fed only progress that says how many files of how many', () => {
    const base = { framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing' }
    expect(ProgressSchema.safeParse({ ...base, files: { done: 2, total: 5 } }).success).toBe(true)
    expect(ProgressSchema.safeParse({ ...base, files: { done: 2, total: 0 } }).success).toBe(false)
    expect(ProgressSchema.safeParse({ ...base, files: { done: -1, total: 5 } }).success).toBe(false)
  })
})
