// The results store read side, against result folders built by hand in a temp directory.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeGridValues, ResultViewSchema } from '../../src/shared/api'
import { RESULT_FILES, type Summary } from '../../src/shared/summary'
import { encodeNpy } from '../../src/main/formats/npy'
import { reduceGrid } from '../../src/main/results/display-grid'
import { listResults, loadResultView, ResultError } from '../../src/main/services/results'

function summaryFor(width: number, height: number, createdAt: string): Summary {
  return {
    dwellmap: 1,
    createdAt,
    inputs: [
      {
        path: '/footage/cam1-0900.mp4',
        bytes: 1_000_000,
        hash: 'abc',
        width: width * 2,
        height: height * 2,
        durationSeconds: 600,
        fps: 25,
        codec: 'h264',
        startedAt: null,
        startSource: null,
        framesSampled: 120,
        status: 'analysed'
      }
    ],
    settings: { method: 'occupancy', reference: { kind: 'auto' }, sample: { kind: 'auto' }, width: 'native', blur: 5, threshold: 22 },
    resolved: { sample: 'every:5', reference: 'median of 30 frames' },
    grid: { width, height },
    kernel: 'typescript',
    frames: { sampled: 120, used: 118, skipped: 2 },
    hours: [],
    unit: 'share of sampled frames in which the place was occupied',
    max: 1,
    timings: { totalSeconds: 3, referenceSeconds: 1, accumulateSeconds: 2 },
    files: { heatmapNpy: RESULT_FILES.heatmapNpy, heatmapPng: RESULT_FILES.heatmapPng, backgroundPng: RESULT_FILES.backgroundPng, summaryJson: RESULT_FILES.summaryJson, hoursNpy: null, reportHtml: RESULT_FILES.reportHtml }
  }
}

function pngBytes(width: number, height: number): Buffer {
  const png = new PNG({ width, height })
  png.data.fill(128)
  return PNG.sync.write(png)
}

async function writeResult(root: string, id: string, width: number, height: number, createdAt: string): Promise<Float32Array> {
  const dir = join(root, id)
  await mkdir(dir, { recursive: true })
  const data = new Float32Array(width * height)
  for (let i = 0; i < data.length; i++) data[i] = (i % width) / width
  await writeFile(join(dir, RESULT_FILES.heatmapNpy), encodeNpy({ width, height, data }))
  await writeFile(join(dir, RESULT_FILES.backgroundPng), pngBytes(width, height))
  await writeFile(join(dir, RESULT_FILES.heatmapPng), pngBytes(width, height))
  await writeFile(join(dir, RESULT_FILES.summaryJson), JSON.stringify(summaryFor(width, height, createdAt)))
  return data
}

let root: string
let outside: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dwellmap-results-'))
  outside = await mkdtemp(join(tmpdir(), 'dwellmap-outside-'))
  await writeResult(root, 'older', 40, 30, '2025-01-01T09:00:00.000Z')
  await writeResult(root, 'newer', 1000, 10, '2025-03-01T09:00:00.000Z')
  // Not results: a stray file, a folder without summary, a folder with a broken summary.
  await writeFile(join(root, 'notes.txt'), 'hello')
  await mkdir(join(root, 'empty'))
  await mkdir(join(root, 'broken'))
  await writeFile(join(root, 'broken', RESULT_FILES.summaryJson), JSON.stringify({ dwellmap: 1, createdAt: 5 }))
  // A symlink that leads out of the results root.
  await writeResult(outside, 'secret', 8, 8, '2025-02-01T00:00:00.000Z')
  await symlink(join(outside, 'secret'), join(root, 'escape'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

describe('listResults', () => {
  it('lists valid results only, newest first', async () => {
    const items = await listResults(root)
    expect(items.map((i) => i.id)).toEqual(['newer', 'older'])
    expect(items[0]).toEqual({
      id: 'newer',
      createdAt: '2025-03-01T09:00:00.000Z',
      inputs: ['/footage/cam1-0900.mp4'],
      method: 'occupancy'
    })
  })

  it('treats a missing results folder as no results', async () => {
    expect(await listResults(join(root, 'does-not-exist'))).toEqual([])
  })
})

describe('loadResultView', () => {
  it('returns the summary, the reference as a data URL and a display grid', async () => {
    const view = await loadResultView(root, 'older')
    expect(ResultViewSchema.parse(view)).toEqual(view)
    expect(view.summary.grid).toEqual({ width: 40, height: 30 })
    expect(view.referenceDataUrl.startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true)
    // Small grids are shown as they are.
    expect(view.grid).toMatchObject({ width: 40, height: 30, cell: 1 })
    expect(decodeGridValues(view.grid)[39]).toBeCloseTo(39 / 40)
  })

  it('averages wide grids down to at most 320 cells', async () => {
    const view = await loadResultView(root, 'newer')
    // cell = ceil(1000 / 320) = 4 -> 250 x 3 (the last row averages 2 rows)
    expect(view.grid).toMatchObject({ width: 250, height: 3, cell: 4 })
    const values = decodeGridValues(view.grid)
    expect(values).toHaveLength(750)
    // Columns 0..3 have values 0, .001, .002, .003: mean .0015.
    expect(values[0]).toBeCloseTo(0.0015, 6)
    expect(values[2 * 250 + 249]).toBeCloseTo((996 + 997 + 998 + 999) / 4 / 1000, 6)
  })

  it.each(['../x', 'a/b', '', '..', '.hidden', 'a\\b', 'x'.repeat(200)])('rejects the id %j', async (id) => {
    await expect(loadResultView(root, id)).rejects.toMatchObject({ code: 'invalid-id' })
  })

  it('says which result is missing', async () => {
    await expect(loadResultView(root, 'nope')).rejects.toThrow('result nope not found')
    await expect(loadResultView(root, 'empty')).rejects.toThrow('result empty not found')
  })

  it('says which summary is invalid and why', async () => {
    const error: unknown = await loadResultView(root, 'broken').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ResultError)
    expect((error as ResultError).message).toMatch(/^summary\.json of broken is invalid: .*createdAt/)
    expect((error as ResultError).code).toBe('invalid')
  })

  it('does not follow a symlink out of the results root', async () => {
    await expect(loadResultView(root, 'escape')).rejects.toThrow('result escape not found')
  })

  it('reports a missing heatmap as an incomplete result', async () => {
    await writeResult(root, 'partial', 4, 4, '2025-01-02T00:00:00.000Z')
    await rm(join(root, 'partial', RESULT_FILES.heatmapNpy))
    await expect(loadResultView(root, 'partial')).rejects.toThrow('result partial is incomplete: heatmap.npy is missing')
    await rm(join(root, 'partial'), { recursive: true })
  })
})

describe('reduceGrid', () => {
  it('keeps masked (NaN) pixels out of the mean', () => {
    const data = new Float32Array([1, Number.NaN, 3, 5])
    const grid = reduceGrid({ width: 2, height: 2, data }, 1)
    expect(grid).toMatchObject({ width: 1, height: 1, cell: 2 })
    expect(decodeGridValues(grid)[0]).toBeCloseTo(3)
  })
})
