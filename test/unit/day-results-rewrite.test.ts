// A day's result read while a new analysis of the day replaces it (writeResults): the reader
// answers with the files of one analysis, never summary.json of one and heatmap.npy of the other.
// The rewrite is put between the reader's reads by a hook on readFile.
import { mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RESULT_FILES } from '../../src/shared/summary'
import { loadResult } from '../../src/main/services/day-results'
import { beforeReading, readHook } from '../helpers/read-hook'
import { FIRST, SECOND, writeAnalysis as write } from '../helpers/two-analyses'

vi.mock('node:fs/promises', async (importOriginal) => (await import('../helpers/read-hook')).withReadHook(await importOriginal()))

/** Runs `rewrite` before the reader reads heatmap.npy, the file after summary.json. */
function beforeHeatmap(rewrite: () => Promise<void>): void {
  beforeReading(RESULT_FILES.heatmapNpy, rewrite)
}

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-rewrite-'))
  await write(dir, FIRST)
})

afterEach(async () => {
  readHook.beforeRead = null
  await rm(dir, { recursive: true, force: true })
})

describe('a day result read while the day is analysed again', () => {
  it('is read again when a new analysis replaced it between two reads', async () => {
    let rewrites = 0
    beforeHeatmap(async () => {
      if (rewrites++ === 0) await write(dir, SECOND)
    })
    const loaded = await loadResult(dir, 'Monday')
    expect(loaded.summary.createdAt).toBe(SECOND.summary.createdAt)
    expect([...loaded.heatmap]).toEqual([...SECOND.values])
    expect([...(loaded.hours ?? [])]).toEqual([...SECOND.values.map((v) => v * 10)])
  })

  it('waits for summary.json when it went half-way and comes back a moment later', async () => {
    let rewrites = 0
    const held = join(dir, 'summary.held')
    beforeHeatmap(async () => {
      if (rewrites++ > 0) return
      // The new analysis's data files are in place, its summary.json not yet.
      await write(dir, SECOND)
      await rename(join(dir, RESULT_FILES.summaryJson), held)
      setTimeout(() => void rename(held, join(dir, RESULT_FILES.summaryJson)), 60)
    })
    const loaded = await loadResult(dir, 'Monday')
    expect(loaded.summary.createdAt).toBe(SECOND.summary.createdAt)
    expect([...loaded.heatmap]).toEqual([...SECOND.values])
  })

  it('says the result is being rewritten when it keeps changing under every read', async () => {
    let rewrites = 0
    beforeHeatmap(() => write(dir, rewrites++ % 2 === 0 ? SECOND : FIRST))
    await expect(loadResult(dir, 'Monday')).rejects.toMatchObject({
      code: 'conflict',
      message: 'The result of Monday is being rewritten by a new analysis; try again in a moment.'
    })
    expect(rewrites).toBeGreaterThan(1)
  })

  it('still says a day without summary.json has not been analysed', async () => {
    await rm(join(dir, RESULT_FILES.summaryJson))
    await expect(loadResult(dir, 'Monday')).rejects.toMatchObject({ code: 'not-found', message: 'Monday has not been analysed yet.' })
  })
})
