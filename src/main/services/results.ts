// The results store, read side: which analyses exist under a results root, and one of them made
// ready for display. Shared by the Electron shell, the browser host and the CLI; no Electron here.
import { readdir, readFile, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import type { z } from 'zod'
import { ResultIdSchema, type ResultId, type ResultListItem, type ResultView } from '../../shared/api'
import { RESULT_FILES, SummarySchema, type Summary } from '../../shared/summary'
import { decodeNpy, type Float32Grid } from '../formats/npy'
import { isInside, resolveInside } from './contained-path'
import { reduceGrid } from '../results/display-grid'
import { isMissing, readOneAnalysis, ResultBeingRewritten } from '../results/read-one-analysis'

export type ResultErrorCode = 'invalid-id' | 'not-found' | 'invalid' | 'conflict'

/** An error a host can map to a status (400/404/500/409) and show as is: its message has no paths. */
export class ResultError extends Error {
  constructor(
    readonly code: ResultErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ResultError'
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Every subdirectory of `root` holding a valid summary.json, newest first. Others are skipped. */
export async function listResults(root: string): Promise<ResultListItem[]> {
  let entries
  try {
    entries = await readdir(root, { withFileTypes: true })
  } catch (error) {
    // No results folder yet simply means no analyses yet.
    if (isMissing(error)) return []
    throw error
  }
  const items: ResultListItem[] = []
  for (const entry of entries) {
    if (!entry.isDirectory() || !ResultIdSchema.safeParse(entry.name).success) continue
    try {
      const summary = await readSummary(await resultDir(root, entry.name), entry.name)
      items.push({
        id: entry.name,
        createdAt: summary.createdAt,
        inputs: summary.inputs.map((input) => input.path),
        method: summary.settings.method
      })
    } catch {
      // A half-written or foreign folder must not hide the good results next to it.
    }
  }
  return items.sort((a, b) => timeOf(b.createdAt) - timeOf(a.createdAt) || b.id.localeCompare(a.id))
}

/**
 * One result ready for display: its summary, the heatmap reduced to a display grid, the picture.
 * `dwellmap analyze` may be writing a new analysis into the folder meanwhile: its files are read
 * while summary.json stays the same file (readOneAnalysis), so they are all of one analysis.
 */
export async function loadResultView(root: string, id: ResultId): Promise<ResultView> {
  const dir = await resultDir(root, id)
  try {
    return await readOneAnalysis(dir, () => readResultView(dir, id))
  } catch (error) {
    if (error instanceof ResultBeingRewritten) throw new ResultError('conflict', `result ${id} is being rewritten by a new analysis; try again in a moment`)
    throw error
  }
}

async function readResultView(dir: string, id: ResultId): Promise<ResultView> {
  const summary = await readSummary(dir, id)
  const heatmap = decodeHeatmap(await readResultFile(dir, id, RESULT_FILES.heatmapNpy), id)
  const png = await readResultFile(dir, id, RESULT_FILES.backgroundPng)
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) {
    throw new ResultError('invalid', `${RESULT_FILES.backgroundPng} of ${id} is not a PNG image`)
  }
  return {
    id,
    summary,
    grid: reduceGrid(heatmap),
    referenceDataUrl: `data:image/png;base64,${png.toString('base64')}`
  }
}

function decodeHeatmap(buf: Buffer, id: string): Float32Grid {
  try {
    return decodeNpy(buf)
  } catch (error) {
    throw new ResultError('invalid', `${RESULT_FILES.heatmapNpy} of ${id} is invalid: ${(error as Error).message}`)
  }
}

async function readSummary(dir: string, id: string): Promise<Summary> {
  const text = (await readResultFile(dir, id, RESULT_FILES.summaryJson)).toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ResultError('invalid', `${RESULT_FILES.summaryJson} of ${id} is invalid: ${(error as Error).message}`)
  }
  const parsed = SummarySchema.safeParse(json)
  if (!parsed.success) {
    throw new ResultError('invalid', `${RESULT_FILES.summaryJson} of ${id} is invalid: ${describeIssues(parsed.error)}`)
  }
  return parsed.data
}

/** The result's folder, proven to be inside the root even after following symlinks. */
async function resultDir(root: string, id: string): Promise<string> {
  if (!ResultIdSchema.safeParse(id).success) throw new ResultError('invalid-id', `"${String(id).slice(0, 64)}" is not a valid result id`)
  const dir = resolveInside(root, id)
  if (!dir) throw new ResultError('invalid-id', `"${id}" is not a valid result id`)
  try {
    const [realRoot, realDir] = await Promise.all([realpath(root), realpath(dir)])
    if (!isInside(realRoot, realDir) || realRoot === realDir) throw new ResultError('not-found', `result ${id} not found`)
    return realDir
  } catch (error) {
    if (isMissing(error)) throw new ResultError('not-found', `result ${id} not found`)
    throw error
  }
}

async function readResultFile(dir: string, id: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name))
  } catch (error) {
    if (isMissing(error)) {
      // No summary means no result at all; a missing data file means a broken one.
      if (name === RESULT_FILES.summaryJson) throw new ResultError('not-found', `result ${id} not found`)
      throw new ResultError('invalid', `result ${id} is incomplete: ${name} is missing`)
    }
    throw error
  }
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)'
    return `${where}: ${issue.message}`
  })
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : ''
  return shown.join('; ') + more
}

function timeOf(iso: string): number {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? 0 : t
}
