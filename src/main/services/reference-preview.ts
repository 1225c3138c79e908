// The pictures behind choosing a reference: the automatic background (median of frames spread
// over the day, as the analysis builds it) and a frame with what would count as people painted
// on it, at the analysis grid and with the day's sensitivity, so the owner sees the effect of a
// choice before running a whole day.
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { loadReference, type Grid } from '../analysis/reference'
import { analysisGrid, scaledBlur } from '../analysis/run-analysis'
import { BoxBlur } from '../analysis/kernels/box-blur'
import { BinaryClosing, resolveClosing } from '../analysis/kernels/morphology'
import { extractGrayFrame } from '../media/gray-frames'
import { InputError, type VideoInfo } from '../media/probe'
import { decodePngGray, encodeGrayPng, encodeRgbPng } from '../results/png'
import type { Clip, Day } from '../../shared/project'
import { splitKept } from '../../shared/video-info'
import { AppError } from './app-error'
import { dayTimeline, locate, usableClips } from './day-timeline'
import { analysisSettings } from './analysis-runner'
import { writeFileAtomic } from '../runtime/atomic-write'

/** The clip as probed when it was added; for clips of older projects, what Clip itself holds. */
export function clipInfo(clip: Clip): VideoInfo {
  if (clip.probe) return splitKept(clip.probe).info
  return {
    path: clip.path, bytes: clip.bytes, width: clip.width, height: clip.height, fps: clip.fps,
    durationSeconds: clip.durationSeconds, frameCount: null, codec: '', startTime: 0, mtimeMs: 0
  }
}

/** The grid the day will be analysed at. */
export function dayGrid(day: Day): Grid {
  const first = usableClips(day.clips)[0]
  if (!first) throw new AppError('invalid', `${day.name} has no usable clips yet; add footage first.`)
  const width = analysisSettings(day).width
  return analysisGrid(clipInfo(first), width === 'native' ? 'native' : width)
}

/** Nearest-neighbour resample of a mask picture to the grid: 1 = ignore. */
export function maskAtGrid(png: Buffer, grid: Grid): Uint8Array {
  const { width, height, gray } = decodePngGray(png)
  const mask = new Uint8Array(grid.width * grid.height)
  for (let y = 0; y < grid.height; y++) {
    const sy = Math.min(height - 1, Math.floor(((y + 0.5) * height) / grid.height))
    for (let x = 0; x < grid.width; x++) {
      const sx = Math.min(width - 1, Math.floor(((x + 0.5) * width) / grid.width))
      mask[y * grid.width + x] = gray[sy * width + sx] > 127 ? 1 : 0
    }
  }
  return mask
}

export function decodeDataUrl(dataUrl: string): Buffer {
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64')
}

/**
 * The frame in grey, with the places that differ from the reference by more than the threshold
 * (after the same blur, and the same closing of the shapes, as the analysis) painted red and
 * masked places darkened.
 */
export function paintDifference(frame: Uint8Array, reference: Uint8Array, grid: Grid, blur: number, threshold: number, mask: Uint8Array | null): Uint8Array {
  const n = grid.width * grid.height
  const box = new BoxBlur(grid.width, grid.height, blur)
  const a = new Uint8Array(n)
  const b = new Uint8Array(n)
  box.apply(frame, a)
  box.apply(reference, b)
  const hit = new Uint8Array(n)
  for (let i = 0; i < n; i++) hit[i] = Math.abs(a[i] - b[i]) > threshold ? 1 : 0
  const closing = resolveClosing(undefined, grid.width)
  if (closing) new BinaryClosing(grid.width, grid.height, closing).apply(hit)
  const rgb = new Uint8Array(n * 3)
  for (let i = 0; i < n; i++) {
    const g = frame[i] * 0.85
    let r = g
    let gr = g
    let bl = g
    if (mask?.[i]) {
      r = g * 0.35
      gr = g * 0.35
      bl = g * 0.35 + 60
    } else if (hit[i]) {
      r = g + (255 - g) * 0.65
      gr = g * 0.35
      bl = g * 0.35
    }
    rgb[i * 3] = r
    rgb[i * 3 + 1] = gr
    rgb[i * 3 + 2] = bl
  }
  return rgb
}

interface Background {
  signature: string
  gray: Uint8Array
  png: Buffer
}

const BACKGROUND_PNG = 'background.png'
const BACKGROUND_KEY = 'background.json'

export class ReferencePreviews {
  private readonly backgrounds = new Map<string, Promise<Background>>()
  /** How many times each day's folder was forgotten (its day removed): a build that began before
   *  does not write its cache there, which would bring the removed day's folder back. */
  private readonly forgotten = new Map<string, number>()

  constructor(private readonly ffmpeg: string) {}

  /** The automatic reference of a day, cached in memory and beside the day's results. */
  async background(dayDir: string, day: Day): Promise<{ gray: Uint8Array; png: Buffer; grid: Grid }> {
    const grid = dayGrid(day)
    const clips = usableClips(day.clips)
    // A file probed again (changed since) or probed for the first time makes a new background.
    const signature = JSON.stringify({ grid, clips: clips.map((c) => [c.path, c.bytes, c.durationSeconds, c.probe?.mtimeMs ?? null]) })
    const cached = this.backgrounds.get(dayDir)
    if (cached) {
      const bg = await cached.catch(() => null)
      if (bg?.signature === signature) return { ...bg, grid }
    }
    const building = this.loadOrBuild(dayDir, day, grid, signature)
    this.backgrounds.set(dayDir, building)
    building.catch(() => {
      if (this.backgrounds.get(dayDir) === building) this.backgrounds.delete(dayDir)
    })
    return { ...(await building), grid }
  }

  /** The grey picture the day's chosen reference stands for, at the analysis grid. */
  async referenceGray(dayDir: string, day: Day): Promise<{ gray: Uint8Array; grid: Grid }> {
    if (day.reference.kind === 'auto') return this.background(dayDir, day)
    const grid = dayGrid(day)
    const at = locate(dayTimeline(day.clips), day.reference.seconds, day.name)
    return { gray: await this.grayAt(at.clip, at.clipSeconds, grid), grid }
  }

  async differencePreview(dayDir: string, day: Day, seconds: number, maskPng: Buffer | null): Promise<{ png: Buffer; clip: Clip; clipSeconds: number; clock: string | null }> {
    const at = locate(dayTimeline(day.clips), seconds, day.name)
    const { gray: reference, grid } = await this.referenceGray(dayDir, day)
    const frame = await this.grayAt(at.clip, at.clipSeconds, grid)
    const settings = analysisSettings(day)
    const mask = maskPng ? maskAtGrid(maskPng, grid) : null
    const rgb = paintDifference(frame, reference, grid, scaledBlur(settings, grid), settings.threshold, mask)
    return { png: encodeRgbPng(grid.width, grid.height, rgb), clip: at.clip, clipSeconds: at.clipSeconds, clock: at.clock }
  }

  private async saveBackground(dayDir: string, png: Buffer, signature: string): Promise<void> {
    await mkdir(dayDir, { recursive: true })
    await writeFileAtomic(join(dayDir, BACKGROUND_PNG), png)
    await writeFileAtomic(join(dayDir, BACKGROUND_KEY), signature)
  }

  forget(dayDir: string): void {
    this.forgotten.set(dayDir, (this.forgotten.get(dayDir) ?? 0) + 1)
    this.backgrounds.delete(dayDir)
  }

  private async grayAt(clip: Clip, seconds: number, grid: Grid): Promise<Uint8Array> {
    try {
      const frame = await extractGrayFrame(
        { ffmpeg: this.ffmpeg, input: clip.path, width: grid.width, height: grid.height },
        { kind: 'time', seconds }
      )
      return Uint8Array.from(frame)
    } catch (error) {
      if (error instanceof InputError) throw new AppError('invalid', `${error.file}: ${error.problem}.`)
      throw error
    }
  }

  private async loadOrBuild(dayDir: string, day: Day, grid: Grid, signature: string): Promise<Background> {
    try {
      const key = await readFile(join(dayDir, BACKGROUND_KEY), 'utf8')
      if (key === signature) {
        const png = await readFile(join(dayDir, BACKGROUND_PNG))
        const decoded = decodePngGray(png)
        if (decoded.width === grid.width && decoded.height === grid.height) return { signature, gray: decoded.gray, png }
      }
    } catch {
      // Not built yet, or from other clips: build it.
    }
    const generation = this.forgotten.get(dayDir) ?? 0
    let gray: Uint8Array
    try {
      const clips = usableClips(day.clips)
      ;({ gray } = await loadReference({ kind: 'auto' }, { ffmpeg: this.ffmpeg, clips: clips.map(clipInfo), grid, keyframeGap: clips[0]?.probe?.keyframeGap }))
    } catch (error) {
      if (error instanceof InputError) throw new AppError('invalid', `The empty scene of ${day.name} could not be built: ${error.file}: ${error.problem}.`)
      throw error
    }
    const png = encodeGrayPng(grid.width, grid.height, gray)
    if ((this.forgotten.get(dayDir) ?? 0) === generation) {
      // A cache: the empty scene stands without it should it fail to be written.
      await this.saveBackground(dayDir, png, signature).catch(() => {})
    }
    return { signature, gray, png }
  }
}
