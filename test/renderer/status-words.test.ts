// The words a running analysis shows while it reads a day's files.
import { describe, expect, it } from 'vitest'
import { filesRead, STAGE_WORDS } from '../../src/renderer/src/lib/status'
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
