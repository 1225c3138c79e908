// One analysis from start to finish: check the clips, pick the reference, run every sampled frame
// through the kernel, and write the result files. Runs inside the analysis worker process.
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { describeReference, type AnalysisSettings } from '../../shared/settings'
import type { InputSummary, Summary } from '../../shared/summary'
import type { AnalysisJob, Problem, Progress } from '../../shared/worker-protocol'
import { sameStreamKind } from '../../shared/video-info'
import { decodeGrayFrames, deliveredLuma, type FrameSampling, type GrayDecodeOptions } from '../media/gray-frames'
import { indexFromWire, indexStore, loadMp4box, type IndexReader, type Mp4Keyframes } from '../media/mp4-keyframes'
import { InputError, type VideoInfo } from '../media/probe'
import { quickHash } from '../media/quick-hash'
import type { FrameDecoder } from '../media/frame-decoder'
import { skipsLoopFilter } from '../media/ffmpeg-args'
import type { WarmFedDecoder } from '../media/warm-fed-decoder'
import { probeDay, rejectedInput, wallClock, type DayClip } from './day'
import { Checkpoint, checkpointKey } from './checkpoint'
import { frameTime, indexFeedable, planDecode, type DecodeTask } from './decode-plan'
import { decodeBatch } from './batch-decode'
import { earlyDecoder } from './early-decoder'
import { PartialSums, type TaskTally } from './partial-sums'
import { createKernel, ghostToolsMaker, pickKernel, type KernelPick } from './kernels/choose-kernel'
import type { FrameKind, Kernel, KernelConfig } from './kernels/kernel'
import { describePlan, planSampling, spacingFromIndex, unexpectedCounts, type KeyframeSpacing } from './plan-sampling'
import { runLimited } from './run-limited'
import { loadReference, readImageAtGrid, type Grid } from './reference'
import { sharedKeyframeDecoder, type SharedKeyframeDecoder } from './shared-keyframe-decoder'
import { makeFolder } from '../runtime/make-folder'

export interface AnalysisEvents {
  progress(p: Progress): void
  warning(p: Problem): void
}

/** Frames where more than this share of the picture changed are lights or a bumped camera. */
const MAX_CHANGED_SHARE = 0.5
const HOUR_MS = 3_600_000
/**
 * A checkpoint is a synced write of a few MB (~25 ms here) plus hashing: after every task of a day
 * of many short clips (60 one-minute files: 59 saves) it costs more than it protects. It is saved
 * after the first finished task, then at most this often; a crash loses at most this much work.
 */
export const CHECKPOINT_INTERVAL_MS = 10_000

/**
 * Frames of at least this many pixels go through the native kernel on the thread pool, so that
 * the next one is read meanwhile (1080p: 10-35 % less wall time). Smaller ones are cheaper on the
 * spot: each hand-off costs more than the reading it overlaps (the kernel alone, 640x360 and
 * 960x540: 0.7 / 1.5 ms a frame on the spot against 1.1-1.3 / 2.1 ms through the pool; the
 * default run on the 10-minute bench clip, six interleaved rounds: 4.53 against 4.70 CPU-s).
 */
const POOLED_KERNEL_PIXELS = 1280 * 720

/** Why a clip's file cannot be read now, though it was when the day was probed. */
function unreadableNow(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  const why = code === 'ENOENT' ? 'the file is gone: moved or deleted during the analysis'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : err instanceof Error ? err.message : String(err)
  return `could not be read any more (${why})`
}

export function analysisGrid(clip: VideoInfo, width: number | 'native'): Grid {
  if (width === 'native' || width >= clip.width) return { width: clip.width, height: clip.height }
  // Even sizes keep ffmpeg's scaler happy.
  const height = Math.max(2, Math.round((clip.height * width) / clip.width / 2) * 2)
  return { width, height }
}

/**
 * The blur is given for a 640-pixel-wide picture (seed: for the native picture, as the article
 * has it) and scaled with the grid, so a smaller grid blurs the same part of the scene. Always odd.
 */
export function scaledBlur(settings: AnalysisSettings, grid: Grid): number {
  if (settings.method === 'seed') return settings.blur
  return Math.max(1, Math.round((settings.blur * grid.width) / 640) | 1)
}

/** True at most every 250 ms, or when forced: the host redraws on each progress message. */
function progressThrottle(): (force?: boolean) => boolean {
  let last = -Infinity
  return (force = false) => {
    const now = performance.now()
    if (!force && now - last < 250) return false
    last = now
    return true
  }
}

/**
 * Progress of the accumulation, a few messages a second. `restored`: frames a resumed run took
 * from the checkpoint, counted as done but not in the speed (decoded by an earlier run, they
 * would make it look many times faster and the time left too short).
 */
export function progressReporter(events: Pick<AnalysisEvents, 'progress'>, framesTotal: number | null, restored = 0) {
  const started = performance.now()
  const due = progressThrottle()
  return (framesDone: number): void => {
    if (!due()) return
    const now = performance.now()
    const fps = (framesDone - restored) / ((now - started) / 1000)
    const etaSeconds = framesTotal !== null && fps > 0 ? Math.max(0, (framesTotal - framesDone) / fps) : null
    events.progress({ framesDone, framesTotal, fps, etaSeconds, stage: 'accumulating' })
  }
}

/** Files read so far while probing, a few times a second and once at the end: a day of a thousand
 *  one-minute clips takes minutes to probe. */
function probingReporter(events: AnalysisEvents) {
  const due = progressThrottle()
  return (done: number, total: number): void => {
    if (!due(done === total)) return
    events.progress({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing', files: { done, total } })
  }
}

interface DayPlan {
  clips: DayClip[]
  grid: Grid
  sampling: FrameSampling
  gap: number | null
  decode: { tasks: DecodeTask[]; concurrency: number }
  reference: Uint8Array
  /** 1 where the owner's mask hides the picture, at the grid's size. */
  mask: Uint8Array | null
  newKernel(frames: KernelConfig['frames']): Kernel
  readIndex: IndexReader
}

/** What every decoder of the run's frames is given, whatever it decodes. */
function runDecodeOptions(job: AnalysisJob, grid: Grid, signal: AbortSignal): Pick<GrayDecodeOptions, 'ffmpeg' | 'width' | 'height' | 'acceptStoredLuma' | 'skipLoopFilter' | 'signal'> {
  return { ffmpeg: job.ffmpegPath, width: grid.width, height: grid.height, acceptStoredLuma: true, skipLoopFilter: skipsLoopFilter(job.settings.method), signal }
}

function taskDecodeOptions(task: DecodeTask, clip: VideoInfo, grid: Grid, sampling: FrameSampling, job: AnalysisJob, signal: AbortSignal): GrayDecodeOptions {
  // Occupancy sums frames per clock hour: each frame's own time, not its count at the average rate.
  const frameTimes = job.settings.method === 'occupancy'
  return { ...runDecodeOptions(job, grid, signal), input: clip.path, source: clip, sampling: task.sampling ?? sampling, segment: task.segment, threads: task.threads, frameTimes }
}

/** Decodes every task not already in the checkpoint, each into a kernel of its own. */
async function accumulateDay(
  plan: DayPlan, job: AnalysisJob, events: AnalysisEvents, framesTotal: number | null, signal: AbortSignal,
  started: { takeEarly(task: DecodeTask): Promise<FrameDecoder> | undefined; shared: SharedKeyframeDecoder | null }
): Promise<{ sums: PartialSums; resumedTasks: number; checkpoint: Checkpoint }> {
  const { clips, grid, sampling, gap } = plan
  const size = grid.width * grid.height
  const checkpoint = new Checkpoint(resolve(job.outDir), checkpointKey(
    { inputs: clips.map((c) => [c.path, c.bytes, c.mtimeMs, c.start.epochMs]), settings: job.settings, grid, sampling, tasks: plan.decode.tasks.map(taskPlan) },
    { reference: plan.reference, mask: plan.mask }
  ))
  const restored = await checkpoint.load(size, clips.length)
  const sums = restored?.sums ?? new PartialSums(size, clips.length)
  const done = restored?.done ?? new Set<string>()
  const firstHour = Math.floor(clips[0].start.epochMs / HOUR_MS)
  const report = progressReporter(events, framesTotal, sums.sampled)
  let inFlight = 0
  let savedAt: number | null = null
  const { tasks, concurrency } = plan.decode
  const todo = tasks.filter((t) => !done.has(taskId(t)))
  /** Tasks finished since the last save. */
  let unsaved = 0
  const running = runLimited(todo, concurrency, async (task) => {
    const clip = clips[task.clipIndex]
    // The kernel takes the frames as the task's decoder delivers them (stored luma it expands).
    const delivered = deliveredLuma(taskDecodeOptions(task, clip, grid, sampling, job, signal))
    const kernel = plan.newKernel(delivered === 'limited' ? 'limited-luma' : 'gray')
    const tally: TaskTally = { sampled: 0, used: 0, usedPerHour: new Map(), sampledPerClip: new Map() }
    const add = (frame: Uint8Array, clipIndex: number, seconds: number, kind?: FrameKind): unknown => {
      const hour = Math.floor((clips[clipIndex].start.epochMs + seconds * 1000) / HOUR_MS) - firstHour
      tally.sampled++
      tally.sampledPerClip.set(clipIndex, (tally.sampledPerClip.get(clipIndex) ?? 0) + 1)
      inFlight++
      const count = (used: boolean): void => {
        if (used) {
          tally.used++
          tally.usedPerHour.set(hour, (tally.usedPerHour.get(hour) ?? 0) + 1)
        }
        report(sums.sampled + inFlight)
      }
      if (kernel.addAsync && size >= POOLED_KERNEL_PIXELS) return kernel.addAsync(frame, hour, kind).then(count)
      count(kernel.add(frame, hour, kind))
    }
    const decode = (t: DecodeTask, started?: Promise<FrameDecoder>): Promise<number> => {
      const c = clips[t.clipIndex]
      // Without ffmpeg's time for a frame (seed, or none given), its count at the clip's rate.
      const at = (k: number, seconds: number | null): number => seconds ?? t.offsetSeconds + frameTime(t.sampling ?? sampling, k, c.fps, gap)
      return decodeGrayFrames(taskDecodeOptions(t, c, grid, sampling, job, signal), (frame, k, seconds) => add(frame, t.clipIndex, at(k, seconds)), started)
    }
    // A clip that breaks part-way still counts up to the break; the rest of the day goes on. Said
    // once per clip: its other parts (segments) usually fail the same way.
    const problem = (clipIndex: number, err: InputError): void => {
      if (sums.problems.has(clipIndex)) return
      sums.problems.set(clipIndex, err.problem)
      events.warning({ file: err.file, message: err.problem })
    }
    try {
      kernel.setReference(plan.reference)
      if (task.batch) {
        await decodeBatch({
          clips: task.batch.map((index) => ({ index, path: clips[index].path })),
          fed: { ...runDecodeOptions(job, grid, signal), source: clip, threads: task.threads },
          decodeAlone: (clipIndex) => decode({ clipIndex, offsetSeconds: 0, threads: task.threads }),
          onFrame: add,
          onProblem: problem,
          readIndex: plan.readIndex
        })
      } else if (task !== started.shared?.task || !(await started.shared.accumulate(add))) {
        await decode(task, started.takeEarly(task))
      }
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      problem(task.clipIndex, err)
    } finally {
      inFlight -= tally.sampled
    }
    try {
      sums.merge(kernel, tally)
    } finally {
      kernel.dispose()
    }
    done.add(taskId(task))
    unsaved++
    // After the last task nothing is left to resume: the results are written next (saving the
    // sums would cost a 16 MB write for a native-resolution seed run).
    const due = savedAt === null || performance.now() - savedAt >= CHECKPOINT_INTERVAL_MS
    if (due && tasks.some((t) => !done.has(taskId(t)))) {
      savedAt = performance.now()
      unsaved = 0
      await checkpoint.save(sums, done)
    }
  })
  await running.catch(async (err: unknown) => {
    // A failed or cancelled run keeps what it finished for the next one: the tasks done since the
    // last save are saved now, and a save under way is finished before the worker is let go.
    if (unsaved > 0) await checkpoint.save(sums, done).catch(() => {})
    else await checkpoint.settled()
    throw err
  })
  return { sums, resumedTasks: tasks.length - todo.length, checkpoint }
}

/**
 * The first task, when its decoder can read the automatic empty scene's keyframes first: keyframes
 * of a whole H.264/HEVC MP4/MOV clip read through its index, on a grid smaller than the clip
 * (native-size runs keep their own decoders: a held frame there is 2 MB), in a day whose clips
 * all match it in codec and luma range (one bare stream, one set of filters).
 */
function sharingTask(task: DecodeTask, clips: VideoInfo[], grid: Grid, sampling: FrameSampling): DecodeTask | null {
  const clip = clips[task.clipIndex]
  if (sampling.kind !== 'keyframes' || task.batch || task.segment || task.clipIndex !== 0) return null
  if (!indexFeedable(clip) || (grid.width === clip.width && grid.height === clip.height)) return null
  return clips.every((c) => sameStreamKind(c, clip)) ? task : null
}

/**
 * Every sampled frame was decoded and left out for changing over more than half the picture (see
 * MAX_CHANGED_SHARE): the empty scene does not match the footage, or the threshold takes noise for
 * people. Named after the empty scene, not a clip: no clip is at fault.
 */
function allFramesChanged(settings: AnalysisSettings, sampled: number): InputError {
  const ref = settings.reference
  const threshold = `the threshold (${settings.threshold})`
  // An empty scene built from the footage itself shows its view: only the threshold is left.
  const why = ref.kind === 'auto' ? `${threshold} is probably too low` : `the empty scene probably does not show this camera's view, or ${threshold} is too low`
  return new InputError(
    ref.kind === 'image' ? ref.path : `the empty scene (${describeReference(ref)})`,
    `every sampled frame (${sampled}) changed over more than half the picture against the empty scene, so none was counted: ${why}`
  )
}

/** Why a readable clip gave no frame: the sampling passed it by. */
function notSampled(sampling: FrameSampling): string {
  const why = sampling.kind === 'every' ? `it is shorter than the sampling step (every ${sampling.n} frames)` : 'the sampling passed it by'
  return `no frame was sampled: ${why}`
}

/** Why a day's plan samples no frame at all. */
function nothingSampled(clips: VideoInfo[], sampling: FrameSampling): string {
  const frames = clips.reduce((n, c) => n + (c.frameCount ?? 0), 0)
  const why = sampling.kind === 'every' ? `the footage has ${frames} frame${frames === 1 ? '' : 's'}, fewer than the sampling step (every ${sampling.n} frames)` : 'the sampling passes it by'
  return `no frame would be sampled: ${why}`
}

/**
 * What is known of each clip's keyframes: the keyframes its index lists (the CLI hands them over,
 * or the probe read them), else the spacing the host kept with its probe, else for the first clip
 * the day's measure; null for the rest (taken as like the first).
 */
function clipSpacing(clips: DayClip[], firstGap: number | null, indexed: Map<string, Mp4Keyframes>, job: AnalysisJob): Array<KeyframeSpacing | null> {
  const kept = new Map((job.probes ?? []).flatMap((p) => (p ? [[resolve(p.path), p] as const] : [])))
  return clips.map((clip, i) => {
    const index = indexed.get(clip.path)
    if (index) return spacingFromIndex(clip, index.keyframes.map((k) => k.seconds))
    const probe = kept.get(clip.path)
    if (probe && probe.bytes === clip.bytes && probe.mtimeMs === clip.mtimeMs && probe.keyframeGap !== null) return { gap: probe.keyframeGap }
    return i === 0 ? { gap: firstGap } : null
  })
}

function taskId(task: DecodeTask): string {
  return `${task.clipIndex}@${task.segment?.from ?? 0}`
}

/** What a task covers, for the checkpoint's key: its clips and its part of them. */
function taskPlan(task: DecodeTask): unknown[] {
  return [task.batch ?? [task.clipIndex], task.segment?.from ?? null, task.segment?.to ?? null]
}

/** Per-hour counts as one (hours, height, width) array, and what each hour holds. */
function hourlyResult(sums: PartialSums, firstHourMs: number, size: number, mask: Uint8Array | null) {
  const buckets = sums.hours
  const indices = [...sums.usedPerHour.keys()].sort((a, b) => a - b)
  const stack = new Float32Array(indices.length * size)
  // The mean share is over the places measured: those the mask leaves.
  const measured = mask ? mask.reduce((n, m) => n + (m ? 0 : 1), 0) : size
  const hours = indices.map((h, i) => {
    const counts = buckets.get(h) ?? new Float32Array(size)
    stack.set(counts, i * size)
    if (mask) hideMasked(stack.subarray(i * size, (i + 1) * size), mask)
    const framesUsed = sums.usedPerHour.get(h) ?? 0
    let sum = 0
    // Masked places count nothing (the kernels leave them at zero).
    for (const c of counts) sum += c
    return { start: wallClock(firstHourMs + h * HOUR_MS), framesUsed, meanShare: framesUsed && measured ? sum / measured / framesUsed : 0 }
  })
  return { hours, stack }
}

/** NaN where the mask hides the picture (1 = hidden). */
function hideMasked(values: Float32Array, mask: Uint8Array): void {
  for (let i = 0; i < values.length; i++) if (mask[i]) values[i] = Number.NaN
}

/** `warm`: an ffmpeg the worker started before the job came (media/warm-fed-decoder.ts). */
export async function runAnalysis(job: AnalysisJob, events: AnalysisEvents, signal: AbortSignal, warm: WarmFedDecoder | null = null): Promise<Summary> {
  const started = performance.now()
  const { settings } = job
  events.progress({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing' })
  // The keyframe spacing of the first clip picks the sampling and prices the automatic empty
  // scene's seeks (see onePassIsCheaper).
  const needGap = settings.sample.kind === 'auto' || settings.sample.kind === 'keyframes' || settings.reference.kind === 'auto'
  // Keyframes the probes read from MP4 indexes are kept for the empty scene and the batches.
  const indexes = indexStore()
  // Each clip's keyframes as its index lists them: auto judges the whole day's, not the first's.
  const indexed = new Map<string, Mp4Keyframes>()
  const keep = (path: string, index: Mp4Keyframes): void => {
    indexes.keep(path, index)
    indexed.set(path, index)
  }
  const knownIndexes = job.indexes?.map((x) => (x ? indexFromWire(x) : null))
  const probing = probeDay(job.ffprobePath, job.inputs, job.start, signal, job.starts, {
    keyframeGap: needGap, known: job.probes, knownIndexes, onProbed: probingReporter(events), onIndex: keep,
    ...(job.dayStart !== undefined ? { dayStart: job.dayStart } : {})
  })
  // mp4box (~40 ms) loads while the first probe starts (a stat, a spawn or an index read), unless
  // the host read every index already.
  if (!knownIndexes?.every((x) => x !== null)) loadMp4box().catch(() => {})
  // An output path that cannot hold the results is said now, not after the decoding.
  const outDir = resolve(job.outDir)
  const folder = makeFolder(outDir)
  folder.catch(() => {})
  const day = await probing
  await folder
  const { clips, rejected } = day
  // A lone bad file is the error itself; otherwise each bad file gets its own line.
  if (clips.length === 0 && rejected.length === 1) throw new InputError(rejected[0].path, rejected[0].problem)
  for (const r of rejected) events.warning({ file: r.path, message: r.problem })
  for (const c of clips) if (c.notice) events.warning({ file: c.path, message: c.notice })
  if (clips.length === 0) throw new InputError(`all ${rejected.length} inputs`, 'nothing to analyse: no input is a readable video')

  const grid = analysisGrid(clips[0], settings.width)
  const refStarted = performance.now()
  const gap = day.keyframeGap ?? null
  // Read the empty scene and the mask. No ffprobe runs beside the ffmpeg of the empty scene
  // (peak memory).
  const plan = planSampling(settings.sample, clips, clipSpacing(clips, gap, indexed, job))
  const sampling = plan.day
  for (const note of plan.notes) events.warning({ file: null, message: note })
  // A plan that samples nothing is said before anything is decoded.
  if (plan.expected.every((n) => n === 0)) {
    throw new InputError(clips.length > 1 ? `all ${clips.length} inputs` : clips[0].path, nothingSampled(clips, sampling))
  }
  const decode = planDecode(clips, sampling, availableParallelism(), plan.clips)
  // The first tasks' ffmpeg runs start while the reference is read (see early-decoder.ts), or one
  // of them reads the automatic empty scene's keyframes first (shared-keyframe-decoder.ts). A
  // batch's decoder is fed by the worker (fed-keyframes.ts): it does not start early. Only a run
  // with nothing to resume starts early (the checkpoint's key depends on the reference).
  const fresh = !Checkpoint.existsIn(outDir)
  const shared = fresh && settings.reference.kind === 'auto' ? sharingTask(decode.tasks[0], clips, grid, sampling) : null
  const sharedDecoder = shared
    ? sharedKeyframeDecoder(shared, clips[0].path, { ...runDecodeOptions(job, grid, signal), source: clips[0], threads: shared.threads }, indexes.read)
    : null
  // A warmed ffmpeg serves only the automatic empty scene's keyframes (reference.ts).
  if (settings.reference.kind !== 'auto') warm?.dispose()
  const firstTasks = decode.tasks.slice(0, decode.concurrency).filter((t) => !t.batch && t !== shared)
  const early = earlyDecoder(firstTasks, (t) => taskDecodeOptions(t, clips[t.clipIndex], grid, sampling, job, signal), fresh)
  const dispose = (): void => {
    early.dispose()
    sharedDecoder?.dispose()
  }
  // The result writers' modules (PNG, HTML, atomic writes: ~40 ms) and the native kernel (~35 ms)
  // load while the empty scene's keyframes decode, or else once the reference is read: on the way
  // to the first ffmpeg they held it back.
  let writers: Promise<typeof import('../results/write-results')> | null = null
  const loadWriters = (): Promise<typeof import('../results/write-results')> => {
    if (writers) return writers
    writers = import('../results/write-results')
    writers.catch(() => {})
    return writers
  }
  const meanwhile = (): void => {
    try {
      pickKernel(job.kernel)
    } catch {
      // Said once the reference is read, where the decoders started for the kernel stop.
    }
    void loadWriters()
  }
  const ctx = {
    ffmpeg: job.ffmpegPath, clips, grid, signal, skipLoopFilter: skipsLoopFilter(settings.method), decodersMayStart: early.start, keyframeGap: gap, readIndex: indexes.read,
    decodePicked: sharedDecoder?.decodePicked, ghostTools: ghostToolsMaker(job.kernel), meanwhile, warm
  }
  const expected = plan.expected
  const framesTotal = expected.every((n) => n !== null) ? expected.reduce<number>((a, n) => a + (n ?? 0), 0) : null
  events.progress({ framesDone: 0, framesTotal, fps: 0, etaSeconds: null, stage: 'reference' })
  const [{ gray: reference, resolved: referenceResolved }, maskImage] = await Promise.all([
    loadReference(settings.reference, ctx),
    settings.mask ? readImageAtGrid(ctx, settings.mask, 'mask') : Promise.resolve(null)
  ]).catch((err: unknown) => {
    dispose()
    throw err
  }).finally(() => warm?.dispose())
  const mask = maskImage ? maskImage.map((v) => (v > 127 ? 1 : 0)) : null
  if (mask?.every((v) => v === 1)) {
    dispose()
    throw new InputError(settings.mask!, 'the mask covers the whole picture (white is ignored): nothing is left to analyse')
  }
  // The inputs' hashes for summary.json, one file at a time (a MiB buffer each) while the day is
  // decoded, rather than one after another at the end (a day of 60 clips: ~0.5 s); not before
  // the decoders run (the first one held the first ffmpeg back ~10 ms).
  // A file that cannot be read any more (deleted meanwhile) is that clip's problem, not the day's.
  const hashes = (async () => {
    const out: Array<{ hash: string } | { problem: string }> = []
    for (const clip of clips) out.push(await quickHash(clip.path, clip.bytes).then((hash) => ({ hash }), (err: unknown) => ({ problem: unreadableNow(err) })))
    return out
  })()
  const referenceSeconds = (performance.now() - refStarted) / 1000
  // Decide once which kernel runs, so that a fallback is reported once, not per task.
  let pick: KernelPick
  try {
    pick = pickKernel(job.kernel)
  } catch (err) {
    // The native kernel was asked for and cannot load: the decoders started for it stop.
    dispose()
    throw err
  }
  const kernelName = pick.name
  if (pick.fallbackReason) events.warning({ file: null, message: `using the TypeScript kernel: ${pick.fallbackReason}` })
  void loadWriters()

  const kernelConfig = { width: grid.width, height: grid.height, blur: scaledBlur(settings, grid), method: settings.method, threshold: settings.threshold, maxChangedShare: MAX_CHANGED_SHARE, mask }
  const newKernel = (frames: KernelConfig['frames']): Kernel => createKernel({ ...kernelConfig, frames }, kernelName)

  const accStarted = performance.now()
  const { sums: acc, resumedTasks, checkpoint } = await accumulateDay(
    { clips, grid, sampling, gap, decode, reference, mask, newKernel, readIndex: indexes.read }, job, events, framesTotal, signal, { takeEarly: early.take, shared: sharedDecoder }
  ).finally(dispose)
  if (acc.sampled === 0 && !acc.problems.size) throw new InputError(clips.length > 1 ? `all ${clips.length} inputs` : clips[0].path, notSampled(sampling))
  if (acc.used === 0) {
    if (acc.sampled > 0) throw allFramesChanged(settings, acc.sampled)
    throw new InputError(clips.length > 1 ? `all ${clips.length} inputs` : clips[0].path, 'no usable frame was decoded from the footage')
  }
  const accumulateSeconds = (performance.now() - accStarted) / 1000

  events.progress({ framesDone: acc.sampled, framesTotal, fps: 0, etaSeconds: 0, stage: 'writing' })
  const { maxOf, resultPaths, writeResults } = await loadWriters()
  const totals = acc.totals()
  const values = new Float32Array(totals.length)
  // Occupancy is a share of frames (0..1), comparable between days of different length.
  const scale = settings.method === 'occupancy' ? 1 / acc.used : 1
  for (let i = 0; i < totals.length; i++) values[i] = totals[i] * scale
  const firstHourMs = Math.floor(clips[0].start.epochMs / HOUR_MS) * HOUR_MS
  const hourly = settings.method === 'occupancy' ? hourlyResult(acc, firstHourMs, totals.length, mask) : null
  // What the mask hides was not measured: NaN, not "never occupied", so that areas and means
  // drawn over it are not diluted (the app and the report leave NaN out).
  if (mask) hideMasked(values, mask)

  const inputs: InputSummary[] = []
  const hashOf = await hashes
  for (const { index, message } of unexpectedCounts(clips, plan, acc.perClip)) {
    if (!acc.problems.has(index)) events.warning({ file: clips[index].path, message })
  }
  for (const [i, clip] of clips.entries()) {
    const hashed = hashOf[i]
    // A readable clip that gives no frame: said, not called unreadable. One the day's step passed
    // by as planned (shorter than the step, between two samples of the day) was analysed.
    const passedBy = acc.perClip[i] === 0 && expected[i] !== 0
    const problem = acc.problems.get(i) ?? ('problem' in hashed ? hashed.problem : undefined) ?? (passedBy ? notSampled(plan.clips[i]) : undefined) ?? clip.notice
    if (problem && !acc.problems.has(i) && problem !== clip.notice) events.warning({ file: clip.path, message: problem })
    inputs.push({
      path: clip.path, bytes: clip.bytes, hash: 'hash' in hashed ? hashed.hash : '', width: clip.width, height: clip.height,
      durationSeconds: clip.durationSeconds, fps: clip.fps, codec: clip.codec, framesSampled: acc.perClip[i],
      startedAt: wallClock(clip.start.epochMs), startSource: clip.start.source,
      status: acc.perClip[i] > 0 || !problem || problem === clip.notice ? 'analysed' : 'rejected', ...(problem ? { problem } : {})
    })
  }
  const files = resultPaths(outDir)
  const summary: Summary = {
    dwellmap: 1,
    createdAt: new Date().toISOString(),
    inputs: [...inputs, ...rejected.map((r) => rejectedInput(r.path, r.problem))],
    settings,
    resolved: { sample: describePlan(plan), reference: referenceResolved },
    grid,
    kernel: kernelName,
    resumedTasks,
    frames: { sampled: acc.sampled, used: acc.used, skipped: acc.sampled - acc.used },
    hours: hourly?.hours ?? [],
    unit: settings.method === 'occupancy'
      ? 'share of sampled frames in which the place was occupied (0..1)'
      : 'sum over sampled frames of the absolute grey-level difference from the reference',
    max: maxOf(values),
    timings: { totalSeconds: (performance.now() - started) / 1000, referenceSeconds, accumulateSeconds },
    files: { ...files, hoursNpy: hourly ? files.hoursNpy : null }
  }
  await writeResults(outDir, { width: grid.width, height: grid.height, values, reference, hours: hourly?.stack ?? null }, summary)
  // Only now is the checkpoint's work safely in the result files.
  await checkpoint.clear()
  return summary
}
