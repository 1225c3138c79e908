// A day's result made ready for the app: the heatmap as a display grid over the reference
// picture, the activity by hour, and the figures of the areas (zones) drawn by the owner.
// With a time window (e.g. 12:00-14:00) the share of time is recomputed from the per-hour
// counts in hours.npy: share = sum(counts in the window) / sum(frames used in the window).
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hourInTimeWindow, type DayResult, type TimeWindow, type ZoneFigure } from '../../shared/app-api'
import type { Zone } from '../../shared/project'
import { RESULT_FILES, SummarySchema, type Summary } from '../../shared/summary'
import { decodeNpy, decodeNpyArray } from '../formats/npy'
import { reduceGrid } from '../results/display-grid'
import { readOneAnalysis, ResultBeingRewritten, summaryIdentity } from '../results/read-one-analysis'
import { AppError, isMissing } from './app-error'

export interface LoadedResult {
  dir: string
  summary: Summary
  width: number
  height: number
  /** The whole day's heatmap (share of time for occupancy results). */
  heatmap: Float32Array
  /** Per-hour counts, one width x height slice per entry of summary.hours; null for seed results. */
  hours: Float32Array | null
  backgroundPng: Buffer
}

/** A day's share grid, at the analysis grid, for the whole day or a window. */
export interface ShareGrid {
  width: number
  height: number
  values: Float32Array
}

/**
 * Reads a result folder; a plain error names the day when it is missing or damaged. A new
 * analysis of the day may be replacing the files meanwhile: they are read while summary.json
 * stays the same file (readOneAnalysis), else the day is said to be being rewritten.
 */
export async function loadResult(dir: string, dayName: string): Promise<LoadedResult> {
  try {
    return await readOneAnalysis(dir, () => readResult(dir, dayName))
  } catch (error) {
    if (error instanceof ResultBeingRewritten) throw new AppError('conflict', `The result of ${dayName} is being rewritten by a new analysis; try again in a moment.`)
    throw error
  }
}

/** One read of the result's files, one after another. */
async function readResult(dir: string, dayName: string): Promise<LoadedResult> {
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(join(dir, name))
    } catch (error) {
      if (!isMissing(error)) throw error
      if (name === RESULT_FILES.summaryJson) throw new AppError('not-found', `${dayName} has not been analysed yet.`)
      throw new AppError('invalid', `The result of ${dayName} is incomplete (${name} is missing); analyse the day again.`)
    }
  }
  let summary: Summary
  try {
    summary = SummarySchema.parse(JSON.parse((await read(RESULT_FILES.summaryJson)).toString('utf8')))
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('invalid', `The result of ${dayName} is damaged (summary.json cannot be read); analyse the day again.`)
  }
  let heatmap
  try {
    heatmap = decodeNpy(await read(RESULT_FILES.heatmapNpy))
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('invalid', `The result of ${dayName} is damaged (heatmap.npy: ${(error as Error).message}); analyse the day again.`)
  }
  let hours: Float32Array | null = null
  if (summary.files.hoursNpy !== null) {
    try {
      const stack = decodeNpyArray(await read(RESULT_FILES.hoursNpy))
      const [n, h, w] = stack.shape
      if (stack.shape.length !== 3 || n !== summary.hours.length || h !== heatmap.height || w !== heatmap.width) throw new Error('its shape does not match the summary')
      hours = stack.data
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError('invalid', `The result of ${dayName} is damaged (hours.npy: ${(error as Error).message}); analyse the day again.`)
    }
  }
  return { dir, summary, width: heatmap.width, height: heatmap.height, heatmap: heatmap.data, hours, backgroundPng: await read(RESULT_FILES.backgroundPng) }
}

/** Clock hour (0-23) of an hour entry's start, YYYY-MM-DDTHH:... */
export function hourOf(start: string): number {
  return Number(start.slice(11, 13))
}

/** Is an hour entry in the window? A window may wrap past midnight (22:00-02:00). */
export function inWindow(start: string, window: TimeWindow | null): boolean {
  return hourInTimeWindow(hourOf(start), window)
}

export function describeWindow(window: TimeWindow): string {
  const hh = (h: number): string => `${String(h).padStart(2, '0')}:00`
  return `${hh(window.fromHour)}-${hh(window.toHour)}`
}

/** The share of time per pixel for the day, or for the hours of a window. */
export function shareGrid(result: LoadedResult, window: TimeWindow | null, dayName: string): ShareGrid {
  const { width, height } = result
  if (!window) return { width, height, values: result.heatmap }
  if (!result.hours) throw new AppError('invalid', `The result of ${dayName} has no hourly data (it was made with the ${result.summary.settings.method} method), so it cannot be shown for a time window.`)
  const size = width * height
  const values = new Float32Array(size)
  let frames = 0
  result.summary.hours.forEach((hour, i) => {
    if (!inWindow(hour.start, window) || hour.framesUsed === 0) return
    frames += hour.framesUsed
    const slice = result.hours!.subarray(i * size, (i + 1) * size)
    for (let p = 0; p < size; p++) values[p] += slice[p]
  })
  if (frames === 0) throw new AppError('invalid', `${dayName} has no footage between ${describeWindow(window)}.`)
  for (let p = 0; p < size; p++) values[p] /= frames
  return { width, height, values }
}

/**
 * The grid pixels inside a polygon given in fractions of the picture: a pixel belongs to the
 * zone when its centre is inside (even-odd rule, so any simple polygon works).
 */
export function rasterizeZone(points: Array<[number, number]>, width: number, height: number): Uint8Array {
  const inside = new Uint8Array(width * height)
  const xs = points.map((p) => p[0] * width)
  const ys = points.map((p) => p[1] * height)
  const n = points.length
  const yMin = Math.max(0, Math.floor(Math.min(...ys)))
  const yMax = Math.min(height - 1, Math.ceil(Math.max(...ys)))
  const crossings: number[] = []
  for (let y = yMin; y <= yMax; y++) {
    const cy = y + 0.5
    crossings.length = 0
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const [y0, y1] = [ys[j], ys[i]]
      // Half-open on y so a vertex shared by two edges is counted once.
      if ((y0 <= cy && cy < y1) || (y1 <= cy && cy < y0)) crossings.push(xs[j] + ((cy - y0) / (y1 - y0)) * (xs[i] - xs[j]))
    }
    crossings.sort((a, b) => a - b)
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Pixel x is inside when its centre x + 0.5 lies in [left, right).
      const from = Math.max(0, Math.ceil(crossings[k] - 0.5))
      const to = Math.min(width - 1, Math.ceil(crossings[k + 1] - 0.5) - 1)
      for (let x = from; x <= to; x++) inside[y * width + x] = 1
    }
  }
  return inside
}

/** Mean of the finite values inside the zone; 0 for a zone that covers no pixel. */
export function meanInside(values: Float32Array, inside: Uint8Array, scale = 1): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < inside.length; i++) {
    if (inside[i] && Number.isFinite(values[i])) {
      sum += values[i]
      count++
    }
  }
  return count === 0 ? 0 : (sum / count) * scale
}

/** Each zone's share of time (mean over its pixels), for the window and for each hour in it. */
export function zoneFigures(result: LoadedResult, share: ShareGrid, zones: Zone[], window: TimeWindow | null): ZoneFigure[] {
  const { width, height } = share
  const size = width * height
  return zones.map((zone) => {
    const inside = rasterizeZone(zone.points, width, height)
    const byHour = result.hours
      ? result.summary.hours.flatMap((hour, i) => {
          if (!inWindow(hour.start, window)) return []
          const slice = result.hours!.subarray(i * size, (i + 1) * size)
          return [{ hour: hour.start, share: hour.framesUsed > 0 ? meanInside(slice, inside, 1 / hour.framesUsed) : 0 }]
        })
      : []
    return { zoneId: zone.id, name: zone.name, share: meanInside(share.values, inside), byHour }
  })
}

export function resultId(projectId: string, dayId: string): string {
  return `${projectId}.${dayId}`
}

/** Everything the app shows for a day. `hours` always covers the whole day, for the activity chart. */
export function buildDayResult(id: string, result: LoadedResult, share: ShareGrid, zones: Zone[], window: TimeWindow | null): DayResult {
  return {
    view: {
      id,
      summary: result.summary,
      grid: reduceGrid({ width: share.width, height: share.height, data: share.values }),
      referenceDataUrl: `data:image/png;base64,${result.backgroundPng.toString('base64')}`
    },
    hours: result.summary.hours.map((h) => ({ start: h.start, framesUsed: h.framesUsed, meanShare: h.meanShare })),
    window,
    zones: zoneFigures(result, share, zones, window)
  }
}

/** Keeps the last few loaded results; a new summary.json (a new analysis) invalidates an entry. */
export class ResultCache {
  private readonly entries = new Map<string, { summary: string | null; result: Promise<LoadedResult> }>()

  constructor(private readonly size = 4) {}

  async get(dir: string, dayName: string): Promise<LoadedResult> {
    const summary = await summaryIdentity(dir).catch(() => null)
    const hit = this.entries.get(dir)
    if (hit && hit.summary === summary && summary !== null) {
      this.entries.delete(dir)
      this.entries.set(dir, hit)
      return hit.result
    }
    const result = loadResult(dir, dayName)
    this.entries.set(dir, { summary, result })
    result.catch(() => this.entries.delete(dir))
    while (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value as string)
    return result
  }

  forget(dir: string): void {
    this.entries.delete(dir)
  }
}
