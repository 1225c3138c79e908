// A day's result read while a new analysis of the day replaces it (writeResults): the reader
// answers with the files of one analysis, never summary.json of one and heatmap.npy of the other.
// The rewrite is put between the reader's reads by a hook on readFile.
import { mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RESULT_FILES, type Summary } from '../../src/shared/summary'
import { OCCUPANCY_DEFAULTS } from '../../src/shared/settings'
import { writeResults } from '../../src/main/results/write-results'
import { loadResult } from '../../src/main/services/day-results'

const hooks = vi.hoisted(() => ({ beforeRead: null as ((path: string) => Promise<void>) | null }))

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>()
  const readFile = (async (...args: Parameters<typeof actual.readFile>) => {
    await hooks.beforeRead?.(String(args[0]))
    return actual.readFile(...args)
  }) as typeof actual.readFile
  return { ...actual, readFile }
})

const WIDTH = 4
const HEIGHT = 2

/** One analysis of the day: every pixel occupied `share` of the time, over one hour of 10 frames. */
function run(share: number, createdAt: string): { summary: Summary; values: Float32Array } {
  const values = new Float32Array(WIDTH * HEIGHT).fill(share)
  const summary: Summary = {
    dwellmap: 1,
    createdAt,
    inputs: [],
    settings: OCCUPANCY_DEFAULTS,
    resolved: { sample: 'keyframes', reference: 'median of 31 frames' },
    grid: { width: WIDTH, height: HEIGHT },
    kernel: 'typescript',
    frames: { sampled: 10, used: 10, skipped: 0 },
    hours: [{ start: '2026-03-09T08:00:00', framesUsed: 10, meanShare: share }],
    unit: 'share of sampled frames in which the place was occupied',
    max: share,
    timings: { totalSeconds: 1, referenceSeconds: 0, accumulateSeconds: 1 },
    files: { ...RESULT_FILES }
  }
  return { summary, values }
}

const FIRST = run(0.25, '2026-03-09T18:00:00.000Z')
const SECOND = run(0.75, '2026-03-10T09:00:00.000Z')

function write(dir: string, analysis: typeof FIRST): Promise<void> {
  const { values, summary } = analysis
  return writeResults(dir, { width: WIDTH, height: HEIGHT, values, reference: new Uint8Array(WIDTH * HEIGHT).fill(90), hours: values.map((v) => v * 10) }, summary)
}

/** Runs `rewrite` before the reader reads heatmap.npy, the file after summary.json. */
function beforeHeatmap(rewrite: () => Promise<void>): void {
  hooks.beforeRead = async (path) => {
    if (path.endsWith(RESULT_FILES.heatmapNpy)) await rewrite()
  }
}

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-rewrite-'))
  await write(dir, FIRST)
})

afterEach(async () => {
  hooks.beforeRead = null
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
