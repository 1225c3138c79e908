// One analysis from start to finish: check the clips, pick the reference, run every sampled frame
// through the kernel, and write the result files. Runs inside the analysis worker process.
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describeReference, describeSample } from '../../shared/settings'
import type { InputSummary, Summary } from '../../shared/summary'
import type { AnalysisJob, Problem, Progress } from '../../shared/worker-protocol'
import { decodeGrayFrames, type FrameSampling } from '../media/gray-frames'
import { keyframeGapSeconds } from '../media/keyframes'
import { InputError, probeVideo, type VideoInfo } from '../media/probe'
import { resultPaths, writeResults, maxOf } from '../results/write-results'
import { createKernel } from './kernels/choose-kernel'
import { expectedSamples, resolveSampling } from './plan-sampling'
import { loadReference, readImageAtGrid, type Grid } from './reference'

export interface AnalysisEvents {
  progress(p: Progress): void
  warning(p: Problem): void
}

/** Frames where more than this share of the picture changed are lights or a bumped camera. */
const MAX_CHANGED_SHARE = 0.5

/** Size, and a hash of the first and last MiB: tells files apart without reading gigabytes. */
async function quickHash(path: string, bytes: number): Promise<string> {
  const fh = await open(path, 'r')
  try {
    const hash = createHash('sha256').update(String(bytes))
    const chunk = Buffer.alloc(Math.min(bytes, 1 << 20))
    for (const at of bytes > chunk.length ? [0, bytes - chunk.length] : [0]) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, at)
      hash.update(chunk.subarray(0, bytesRead))
    }
    return 'sha256-head-tail:' + hash.digest('hex')
  } finally {
    await fh.close()
  }
}

export function analysisGrid(clip: VideoInfo, width: number | 'native'): Grid {
  if (width === 'native' || width >= clip.width) return { width: clip.width, height: clip.height }
  // Even sizes keep ffmpeg's scaler and chroma planes happy.
  const height = Math.max(2, Math.round((clip.height * width) / clip.width / 2) * 2)
  return { width, height }
}

/** Blur size scaled with the grid, so a reduced width sees the same area blurred. Always odd. */
export function scaledBlur(blur: number, clip: VideoInfo, grid: Grid, method: AnalysisJob['settings']['method']): number {
  if (method === 'seed') return blur
  const scaled = Math.round((blur * grid.width) / Math.max(grid.width, Math.min(clip.width, 640)))
  return Math.max(1, scaled | 1)
}

async function probeAll(job: AnalysisJob, signal: AbortSignal) {
  const good: VideoInfo[] = []
  const rejected: InputSummary[] = []
  for (const input of job.inputs) {
    const path = resolve(input)
    try {
      const info = await probeVideo(job.ffprobePath, path, signal)
      const first = good[0]
      if (first && (info.width !== first.width || info.height !== first.height)) {
        throw new InputError(path, `is ${info.width}x${info.height}, but the day's first clip is ${first.width}x${first.height} (another camera?); skipped`)
      }
      good.push(info)
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      rejected.push({ path, bytes: 0, hash: '', width: 1, height: 1, durationSeconds: null, fps: null, codec: '', framesSampled: 0, status: 'rejected', problem: err.problem })
    }
  }
  return { good, rejected }
}

export async function runAnalysis(job: AnalysisJob, events: AnalysisEvents, signal: AbortSignal): Promise<Summary> {
  const started = performance.now()
  const { settings } = job
  events.progress({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing' })
  const { good, rejected } = await probeAll(job, signal)
  // A lone bad file is the error itself; otherwise each bad file gets its own line.
  if (good.length === 0 && rejected.length === 1) throw new InputError(rejected[0].path, rejected[0].problem ?? 'cannot be read')
  for (const r of rejected) events.warning({ file: r.path, message: r.problem ?? 'cannot be read' })
  if (good.length === 0) throw new InputError(`all ${rejected.length} inputs`, 'nothing to analyse: no input is a readable video')

  const grid = analysisGrid(good[0], settings.width)
  const gap = settings.sample.kind === 'auto' || settings.sample.kind === 'keyframes'
    ? await keyframeGapSeconds(job.ffprobePath, good[0].path, signal).catch(() => null)
    : null
  const sampling: FrameSampling = resolveSampling(settings.sample, good, gap)
  const framesTotal = good.every((c) => expectedSamples(sampling, c, gap) !== null)
    ? good.reduce((n, c) => n + (expectedSamples(sampling, c, gap) ?? 0), 0)
    : null

  events.progress({ framesDone: 0, framesTotal, fps: 0, etaSeconds: null, stage: 'reference' })
  const refStarted = performance.now()
  const ctx = { ffmpeg: job.ffmpegPath, clips: good, grid, signal }
  const reference = await loadReference(settings.reference, ctx)
  const mask = settings.mask ? (await readImageAtGrid(ctx, settings.mask)).map((v) => (v > 127 ? 1 : 0)) : null
  const referenceSeconds = (performance.now() - refStarted) / 1000

  const { kernel, fallbackReason } = createKernel(
    { width: grid.width, height: grid.height, blur: scaledBlur(settings.blur, good[0], grid, settings.method), method: settings.method, threshold: settings.threshold, maxChangedShare: MAX_CHANGED_SHARE, mask },
    job.kernel
  )
  if (fallbackReason) events.warning({ file: null, message: `using the TypeScript kernel: ${fallbackReason}` })

  const accStarted = performance.now()
  let sampled = 0
  let used = 0
  let lastReport = 0
  const inputs: InputSummary[] = []
  try {
    kernel.setReference(reference)
    for (const clip of good) {
      let clipFrames = 0
      let problem: string | undefined
      try {
        await decodeGrayFrames(
          { ffmpeg: job.ffmpegPath, input: clip.path, width: grid.width, height: grid.height, sourceWidth: clip.width, sourceHeight: clip.height, sampling, signal },
          (frame) => {
            clipFrames++
            sampled++
            if (kernel.add(frame)) used++
            const now = performance.now()
            if (now - lastReport > 250) {
              lastReport = now
              const fps = sampled / ((now - accStarted) / 1000)
              const etaSeconds = framesTotal !== null && fps > 0 ? Math.max(0, (framesTotal - sampled) / fps) : null
              events.progress({ framesDone: sampled, framesTotal, fps, etaSeconds, stage: 'accumulating' })
            }
          }
        )
      } catch (err) {
        // A clip that breaks part-way still counts up to the break; the rest of the day goes on.
        if (!(err instanceof InputError)) throw err
        problem = err.problem
        events.warning({ file: err.file, message: err.problem })
      }
      inputs.push({
        path: clip.path, bytes: clip.bytes, hash: await quickHash(clip.path, clip.bytes), width: clip.width, height: clip.height,
        durationSeconds: clip.durationSeconds, fps: clip.fps, codec: clip.codec, framesSampled: clipFrames,
        status: clipFrames > 0 ? 'analysed' : 'rejected', ...(problem ? { problem } : {})
      })
    }
    if (used === 0) throw new InputError(good[0].path, 'no usable frame was decoded from the footage')

    events.progress({ framesDone: sampled, framesTotal, fps: 0, etaSeconds: 0, stage: 'writing' })
    const totals = kernel.totals()
    const values = new Float32Array(totals.length)
    // Occupancy is a share of frames (0..1), comparable between days of different length.
    const scale = settings.method === 'occupancy' ? 1 / used : 1
    for (let i = 0; i < totals.length; i++) values[i] = totals[i] * scale
    const accumulateSeconds = (performance.now() - accStarted) / 1000
    const summary: Summary = {
      dwellmap: 1,
      createdAt: new Date().toISOString(),
      inputs: [...inputs, ...rejected],
      settings,
      resolved: { sample: describeSample(sampling), reference: describeReference(settings.reference) },
      grid,
      kernel: kernel.name,
      frames: { sampled, used, skipped: sampled - used },
      unit: settings.method === 'occupancy'
        ? 'share of sampled frames in which the place was occupied (0..1)'
        : 'sum over sampled frames of the absolute grey-level difference from the reference',
      max: maxOf(values),
      timings: { totalSeconds: (performance.now() - started) / 1000, referenceSeconds, accumulateSeconds },
      files: resultPaths(resolve(job.outDir))
    }
    await writeResults(resolve(job.outDir), { width: grid.width, height: grid.height, values, reference }, summary)
    return summary
  } finally {
    kernel.dispose()
  }
}
