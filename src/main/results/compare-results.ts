// `dwellmap compare A B`: where people went more, and where less, on day B than on day A.
// Both maps share one scale; the difference (B - A) gets a diverging one.
import { readFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { z } from 'zod'
import { RESULT_FILES, SummarySchema, type Summary } from '../../shared/summary'
import { decodeNpy, encodeNpy, type Float32Grid } from '../formats/npy'
import { describeInputs } from './analysis-report'
import { reduceGrid } from './display-grid'
import { renderDifferenceOverlay } from './heatmap-image'
import { decodePngGray, encodeRgbPng } from './png'
import { readOneAnalysis, ResultBeingRewritten } from './read-one-analysis'
import { renderReport } from './report-html'
import { RESULT_KINDS, refuseOtherKind, writeResultSet } from './result-set'
import { makeFolder } from '../runtime/make-folder'

export const COMPARE_FILES = {
  differenceNpy: 'difference.npy',
  differencePng: 'difference.png',
  compareJson: RESULT_KINDS.comparison.marker,
  reportHtml: 'report.html'
} as const

export const CompareSummarySchema = z.object({
  dwellmap: z.literal(1),
  kind: z.literal('compare'),
  createdAt: z.string(),
  a: z.string(),
  b: z.string(),
  grid: z.object({ width: z.number().int(), height: z.number().int() }),
  unit: z.string(),
  /** Largest increase and decrease, in the maps' own unit. */
  maxIncrease: z.number(),
  maxDecrease: z.number(),
  meanA: z.number(),
  meanB: z.number(),
  files: z.object({ differenceNpy: z.string(), differencePng: z.string(), compareJson: z.string(), reportHtml: z.string() })
})
export type CompareSummary = z.infer<typeof CompareSummarySchema>

interface LoadedResult {
  dir: string
  summary: Summary
  heatmap: Float32Grid
  backgroundPng: Buffer
  background: Uint8Array
}

/**
 * A result folder, or one clear error naming it and the file that is missing or damaged. An
 * analysis may be writing the folder anew meanwhile: its files are read while summary.json stays
 * the same file (readOneAnalysis), so the day compared is one analysis, not parts of two.
 */
async function loadResult(dir: string): Promise<LoadedResult> {
  try {
    return await readOneAnalysis(dir, () => readResult(dir))
  } catch (error) {
    if (error instanceof ResultBeingRewritten) throw new Error(`${dir}: the analysis in it is being rewritten; run compare again when it has finished`, { cause: error })
    throw error
  }
}

/** One read of the result's files, one after another. */
async function readResult(dir: string): Promise<LoadedResult> {
  const read = (name: string): Promise<Buffer> =>
    readFile(join(dir, name)).catch(() => {
      throw new Error(`${dir}: not an analysis result (${name} is missing)`)
    })
  const damaged = (name: string, why: string): Error => new Error(`${dir}: ${name} is damaged (${why}); analyse the day again`)
  const summaryText = (await read(RESULT_FILES.summaryJson)).toString('utf8')
  let summaryJson: unknown
  try {
    summaryJson = JSON.parse(summaryText)
  } catch {
    throw damaged(RESULT_FILES.summaryJson, 'it is not valid JSON')
  }
  const parsed = SummarySchema.safeParse(summaryJson)
  if (!parsed.success) throw new Error(`${dir}: summary.json is not one Dwellmap wrote`)
  const heatmapBytes = await read(RESULT_FILES.heatmapNpy)
  let heatmap: Float32Grid
  try {
    heatmap = decodeNpy(heatmapBytes)
  } catch (err) {
    throw damaged(RESULT_FILES.heatmapNpy, err instanceof Error ? err.message : String(err))
  }
  const backgroundPng = await read(RESULT_FILES.backgroundPng)
  let background: ReturnType<typeof decodePngGray>
  try {
    background = decodePngGray(backgroundPng)
  } catch {
    // pngjs's own words ("There are some read requests waitng on finished stream") mean nothing here.
    throw damaged(RESULT_FILES.backgroundPng, 'it is not a whole PNG image')
  }
  if (background.width !== heatmap.width || background.height !== heatmap.height) {
    throw damaged(RESULT_FILES.backgroundPng, `it is ${background.width}x${background.height}, the heatmap ${heatmap.width}x${heatmap.height}`)
  }
  return { dir, summary: parsed.data, heatmap, backgroundPng, background: background.gray }
}

/** The mean over the places measured (NaN: hidden by a mask). */
function mean(values: Float32Array): number {
  let sum = 0
  let count = 0
  for (const v of values) {
    if (Number.isNaN(v)) continue
    sum += v
    count++
  }
  return count ? sum / count : 0
}

export async function compareResults(dirA: string, dirB: string, outDir: string): Promise<CompareSummary> {
  const [a, b] = await Promise.all([loadResult(resolve(dirA)), loadResult(resolve(dirB))])
  if (a.summary.settings.method !== b.summary.settings.method) {
    throw new Error(`${b.dir}: made with the ${b.summary.settings.method} method, but ${a.dir} with ${a.summary.settings.method}; analyse both the same way to compare them`)
  }
  if (a.heatmap.width !== b.heatmap.width || a.heatmap.height !== b.heatmap.height) {
    throw new Error(`${b.dir}: its grid is ${b.heatmap.width}x${b.heatmap.height}, but ${a.dir} is ${a.heatmap.width}x${a.heatmap.height}; use the same --width for both days`)
  }
  const { width, height } = a.heatmap
  const diff = new Float32Array(width * height)
  let maxIncrease = 0
  let maxDecrease = 0
  for (let i = 0; i < diff.length; i++) {
    const d = b.heatmap.data[i] - a.heatmap.data[i]
    diff[i] = d
    if (d > maxIncrease) maxIncrease = d
    if (d < maxDecrease) maxDecrease = d
  }
  const out = resolve(outDir)
  refuseOtherKind(out, 'comparison')
  await makeFolder(out)
  const files = {
    differenceNpy: join(out, COMPARE_FILES.differenceNpy),
    differencePng: join(out, COMPARE_FILES.differencePng),
    compareJson: join(out, COMPARE_FILES.compareJson),
    reportHtml: join(out, COMPARE_FILES.reportHtml)
  }
  const summary: CompareSummary = {
    dwellmap: 1, kind: 'compare', createdAt: new Date().toISOString(), a: a.dir, b: b.dir, grid: { width, height },
    unit: a.summary.unit, maxIncrease, maxDecrease, meanA: mean(a.heatmap.data), meanB: mean(b.heatmap.data), files
  }
  // As an analysis's files: all written whole before an earlier comparison here is replaced.
  await writeResultSet(out, 'comparison', async (staged) => {
    staged.write(files.differenceNpy, encodeNpy({ width, height, data: diff }))
    staged.write(files.differencePng, encodeRgbPng(width, height, renderDifferenceOverlay(diff, b.background, Math.max(maxIncrease, -maxDecrease))))
    const occupancy = a.summary.settings.method === 'occupancy'
    const scale = occupancy ? 100 : 1
    const unit = occupancy ? '% of time occupied' : 'summed difference'
    const map = (title: string, data: Float32Array, png: Buffer, diverging: boolean) => ({
      title, grid: reduceGrid({ width, height, data }), width, height, backgroundPngBase64: png.toString('base64'), scale,
      colorbarTitle: diverging ? `change (${unit})` : unit, diverging
    })
    const nameA = basename(a.dir)
    const nameB = basename(b.dir)
    staged.write(files.reportHtml, await renderReport({
      title: `${nameB} compared with ${nameA}`,
      subtitle: 'Both days on one colour scale; the third map shows where people spent more time (red) and less (blue) on the second day.',
      maps: [map(nameA, a.heatmap.data, a.backgroundPng, false), map(nameB, b.heatmap.data, b.backgroundPng, false), map(`Change: ${nameB} minus ${nameA}`, diff, b.backgroundPng, true)],
      hours: [],
      hoursTitle: '',
      tables: [
        { caption: `Footage of ${nameA}`, rows: describeInputs(a.summary) },
        { caption: `Footage of ${nameB}`, rows: describeInputs(b.summary) }
      ]
    }))
    return JSON.stringify(CompareSummarySchema.parse(summary), null, 2) + '\n'
  })
  return summary
}
