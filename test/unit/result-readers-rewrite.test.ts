// The other readers of result folders, read while `dwellmap analyze` writes a new analysis into
// the folder (writeResults): the results served by `dwellmap serve --results` and the two days of
// `dwellmap compare` are each the files of one analysis, never summary.json of one and heatmap.npy
// of the other. The rewrite is put between the reader's reads by a hook on readFile.
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { decodeGridValues } from '../../src/shared/api'
import { RESULT_FILES } from '../../src/shared/summary'
import { compareResults } from '../../src/main/results/compare-results'
import { loadResultView, ResultError } from '../../src/main/services/results'
import { describeError } from '../../src/main/web/server'
import { beforeReading, readHook } from '../helpers/read-hook'
import { FIRST, SECOND, writeAnalysis, type Analysis } from '../helpers/two-analyses'

vi.mock('node:fs/promises', async (importOriginal) => (await import('../helpers/read-hook')).withReadHook(await importOriginal()))

let root: string

beforeEach(async () => {
  // Real: the served result's folder is matched by the path its reader reads (a realpath).
  root = await realpath(await mkdtemp(join(tmpdir(), 'dwellmap-readers-')))
})

afterEach(async () => {
  readHook.beforeRead = null
  await rm(root, { recursive: true, force: true })
})

/** Writes SECOND over FIRST before the first read of heatmap.npy in `dir` (after summary.json's). */
function rewriteOnceBeforeHeatmap(dir: string): void {
  let rewrites = 0
  beforeReading(RESULT_FILES.heatmapNpy, async (path) => {
    if (path.startsWith(`${dir}/`) && rewrites++ === 0) await writeAnalysis(dir, SECOND)
  })
}

/** Writes SECOND and FIRST over each other before every read of heatmap.npy in `dir`. */
function rewriteBeforeEveryHeatmap(dir: string): () => number {
  let rewrites = 0
  beforeReading(RESULT_FILES.heatmapNpy, async (path) => {
    if (path.startsWith(`${dir}/`)) await writeAnalysis(dir, rewrites++ % 2 === 0 ? SECOND : FIRST)
  })
  return () => rewrites
}

describe('a result served by `dwellmap serve --results` while it is analysed again', () => {
  beforeEach(async () => {
    await writeAnalysis(join(root, 'monday'), FIRST)
  })

  it('is read again when a new analysis replaced it between two reads', async () => {
    rewriteOnceBeforeHeatmap(join(root, 'monday'))
    const view = await loadResultView(root, 'monday')
    expect(view.summary.createdAt).toBe(SECOND.summary.createdAt)
    expect([...decodeGridValues(view.grid)]).toEqual([...SECOND.values])
  })

  it('says the result is being rewritten (409) when it keeps changing under every read', async () => {
    const rewrites = rewriteBeforeEveryHeatmap(join(root, 'monday'))
    const error: unknown = await loadResultView(root, 'monday').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResultError)
    expect(error).toMatchObject({ code: 'conflict', message: 'result monday is being rewritten by a new analysis; try again in a moment' })
    expect(describeError(error)).toEqual({ status: 409, message: (error as Error).message })
    expect(rewrites()).toBeGreaterThan(1)
  })
})

describe('`dwellmap compare` while one of its days is analysed again', () => {
  let dirA: string
  let dirB: string
  let out: string

  beforeEach(async () => {
    dirA = join(root, 'a')
    dirB = join(root, 'b')
    out = join(root, 'compared')
    await writeAnalysis(dirA, SECOND)
    await writeAnalysis(dirB, FIRST)
  })

  it('compares the new analysis when it replaced the day between two reads', async () => {
    rewriteOnceBeforeHeatmap(dirB)
    const summary = await compareResults(dirA, dirB, out)
    expect(summary.meanB).toBeCloseTo(0.75)
    // B's footage in the report is that of the analysis whose heatmap was compared.
    const report = await readFile(join(out, 'report.html'), 'utf8')
    const shows = (analysis: Analysis): boolean => report.includes(basename(analysis.summary.inputs[0].path))
    expect({ first: shows(FIRST), second: shows(SECOND) }).toEqual({ first: false, second: true })
  })

  it('says in one line which day is being rewritten when it keeps changing under every read', async () => {
    const rewrites = rewriteBeforeEveryHeatmap(dirB)
    await expect(compareResults(dirA, dirB, out)).rejects.toThrow(new Error(`${dirB}: the analysis in it is being rewritten; run compare again when it has finished`))
    expect(rewrites()).toBeGreaterThan(1)
  })
})
