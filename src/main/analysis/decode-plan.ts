// Splits a day into decode tasks that use every core. Keyframes of an MP4/MOV clip are read
// through its index by an ffmpeg that decodes several at once on frame threads; other
// keyframe-only decodes keep one core busy per ffmpeg, so long clips are cut into time segments,
// one per core. Sampling that decodes every frame runs one single-threaded ffmpeg per core, on
// clips or on parts of a clip that start on a frame of the sampling's own rhythm.
// Each task is the unit of resuming: a checkpoint holds finished tasks only, and a stopped run
// resumes after the last one saved.
import type { FrameSampling } from '../media/gray-frames'
import type { VideoInfo } from '../media/probe'
import { sameStreamKind } from '../../shared/video-info'

export interface DecodeTask {
  clipIndex: number
  /** Short H.264 or HEVC MP4/MOV clips (clipIndex first) whose keyframes one ffmpeg decodes in a row, fed
   *  by the worker (fed-keyframes.ts). */
  batch?: number[]
  segment?: { from: number; to?: number }
  /** Clip time (s) of the first frame this task delivers, for time buckets. */
  offsetSeconds: number
  /** Decoder threads; ffmpeg's own choice when left out. */
  threads?: number
  /** This task's own sampling where the day's differs by clip (a step and where its count
   *  starts, see plan-sampling.ts). */
  sampling?: FrameSampling
}

/** Shorter segments than this cost more in start-up than they win. */
const MIN_SEGMENT_SECONDS = 30

/** Longer clips are cut into segments of at most this length even where one decoder would do:
 *  a stopped run resumes after its last finished task (an ffmpeg start, ~0.2 s, per segment). */
const MAX_TASK_SECONDS = 30 * 60

/**
 * Cores per ffmpeg reading keyframes through the index. On the 2-core machine one ffmpeg with
 * three threads matched two single-threaded segments (60-minute bench clip, 11.0 s against
 * 10.6-11.1 s) with one process instead of two (~88 MB against 2 x 69 MB). On more cores, one
 * decoder per two cores keeps each one's main thread (demuxing, scaling: ~1.7 ms a 1080p frame,
 * writing) from becoming the limit; that part is not measured here.
 */
const CORES_PER_INDEXED_DECODER = 2

/** `perClip`: each clip's own sampling (aligned with the clips; see SamplingPlan), else the day's. */
export function planDecode(clips: VideoInfo[], sampling: FrameSampling, cores: number, perClip?: FrameSampling[]): { tasks: DecodeTask[]; concurrency: number } {
  if (sampling.kind === 'keyframes') return planKeyframes(clips, cores)
  const own = perClip ?? clips.map(() => sampling)
  const plan = planEveryFrame(clips, own as Array<Exclude<FrameSampling, { kind: 'keyframes' }>>, cores)
  // A task carries its own only where it differs from the day's (a phase, or auto's step by rate).
  const differs = (s: FrameSampling): boolean => JSON.stringify(s) !== JSON.stringify(sampling)
  return { ...plan, tasks: plan.tasks.map((t) => (differs(own[t.clipIndex]) ? { ...t, sampling: own[t.clipIndex] } : t)) }
}

/**
 * Decodes that go through every frame: one ffmpeg per core, each on one thread. ffmpeg's frame
 * threads buy little here for much CPU (10-minute 1080p bench clip, 2 cores: decoding to null
 * 17.6-18.1 s and 27 CPU-seconds with its default threads, 18.7-19.5 s and 19 CPU-seconds on one
 * thread, 8.6 s for two single-threaded halves side by side). Clips run side by side; a clip on a
 * constant frame grid is also cut into parts (see frameSegments). Anything else: one ffmpeg with
 * its own threads.
 */
function planEveryFrame(clips: VideoInfo[], sampling: Array<Exclude<FrameSampling, { kind: 'keyframes' }>>, cores: number): { tasks: DecodeTask[]; concurrency: number } {
  if (cores < 2) return { tasks: clips.map((_, i) => wholeClip(i)), concurrency: 1 }
  // An fps filter starts its own grid at a part's first frame, so only `every` is cut. Parts start
  // on multiples of the step, so each keeps its clip's phase.
  const tasks = clips.flatMap((clip, i) => {
    const s = sampling[i]
    return s.kind === 'every' ? frameSegments(clip, i, cores, s.n) : [wholeClip(i)]
  })
  if (tasks.length === 1) return { tasks, concurrency: 1 }
  return { tasks: tasks.map((t) => ({ ...t, threads: 1 })), concurrency: cores }
}

/**
 * Clips up to this long are batched when several follow each other: ffmpeg's start and decoder
 * set-up (~0.25 s a clip with Debian's ffmpeg) is then paid once per batch. Longer clips are read
 * by ffmpeg itself, which is faster there (the 10-minute bench clip: 1.9 s against 2.3 s fed by
 * the worker, whose reading and writing share the two cores with the decoder), and their index
 * would cost memory (mp4box keeps an object per frame: ~12 MB for 15,000 frames).
 */
export const FED_CLIP_SECONDS = 5 * 60

/** Codecs ffmpeg reads as a bare stream of keyframes (ffprobe's names). */
const FED_CODECS: ReadonlySet<string> = new Set(['h264', 'hevc'])

/** An MP4/MOV clip whose keyframes the worker can read from its index and feed to a decoder, as
 *  far as its probe tells (the index itself is checked when read: mp4-keyframes.ts). */
export function indexFeedable(clip: VideoInfo): boolean {
  return clip.keyframeIndex === true && FED_CODECS.has(clip.codec)
}

/** A clip short enough to join a batch. */
function feedable(clip: VideoInfo): boolean {
  return indexFeedable(clip) && clip.durationSeconds !== null && clip.durationSeconds <= FED_CLIP_SECONDS
}

function indexedDecoders(cores: number): number {
  return Math.max(1, Math.floor(cores / CORES_PER_INDEXED_DECODER))
}

/** The frame threads of each decoder reading keyframes through an index. */
export function indexedDecoderThreads(cores: number): number {
  // One frame thread more than its cores (measured, ffmpeg alone on the 60-minute clip: three
  // threads on two cores 11.0 s, two threads 11.8-12.1 s); a single core gets a single thread.
  const share = Math.ceil(cores / indexedDecoders(cores))
  return share > 1 ? share + 1 : 1
}

function planKeyframes(clips: VideoInfo[], cores: number): { tasks: DecodeTask[]; concurrency: number } {
  const decoders = indexedDecoders(cores)
  const threads = indexedDecoderThreads(cores)
  const tasks: DecodeTask[] = []
  for (const run of feedableRuns(clips)) {
    if (run.length > 1) {
      tasks.push(...batches(clips, run).map((batch) => ({ clipIndex: batch[0], batch, offsetSeconds: 0, threads })))
      continue
    }
    const clipIndex = run[0]
    const clip = clips[clipIndex]
    tasks.push(...(clip.keyframeIndex ? timeSegments(clip, clipIndex, decoders).map((t) => ({ ...t, threads })) : timeSegments(clip, clipIndex, cores)))
  }
  const allIndexed = clips.every((c) => c.keyframeIndex)
  return { tasks, concurrency: allIndexed ? decoders : cores }
}

/** The clips in order, consecutive feedable clips together, every other clip on its own. */
function feedableRuns(clips: VideoInfo[]): number[][] {
  const runs: number[][] = []
  clips.forEach((clip, i) => {
    const last = runs.at(-1)
    const head = last && clips[last[0]]
    // One decoder and its filters serve the whole batch: its clips share the codec and store
    // their luma alike.
    if (head && feedable(clip) && feedable(head) && sameStreamKind(clip, head)) last.push(i)
    else runs.push([i])
  })
  return runs
}

/** A run of clips cut into batches of at most MAX_TASK_SECONDS of footage (the unit of resuming). */
function batches(clips: VideoInfo[], run: number[]): number[][] {
  const out: number[][] = []
  let seconds = Infinity
  for (const i of run) {
    const d = clips[i].durationSeconds ?? 0
    if (seconds + d > MAX_TASK_SECONDS) {
      out.push([])
      seconds = 0
    }
    out.at(-1)!.push(i)
    seconds += d
  }
  return out
}

/** How many parts a clip of d seconds is cut into: at least `atLeast` (one per decoder running
 *  side by side), none longer than MAX_TASK_SECONDS, none shorter than MIN_SEGMENT_SECONDS. */
function partCount(d: number | null, atLeast: number): number {
  return d === null ? 1 : Math.max(1, Math.min(Math.max(atLeast, Math.ceil(d / MAX_TASK_SECONDS)), Math.floor(d / MIN_SEGMENT_SECONDS)))
}

/**
 * Parts of a constant-rate clip for `every:n`, each starting on a frame whose index is a multiple
 * of n: the part's own count then picks the very frames one run over the clip picks. Bounds lie
 * half a frame before a part's first frame, so timestamps rounded to the container's time base
 * still fall on the right side.
 */
function frameSegments(clip: VideoInfo, clipIndex: number, atLeast: number, n: number): DecodeTask[] {
  const { durationSeconds: d, fps, frameGridStart: start } = clip
  const parts = partCount(d, atLeast)
  if (parts === 1 || d === null || fps === null || start === undefined) return [wholeClip(clipIndex)]
  const frames = Math.round(d * fps)
  return consecutiveSegments(clipIndex, Array.from({ length: parts }, (_, i) => {
    const k = Math.round((frames * i) / parts / n) * n
    return { from: start + (k - 0.5) / fps, offsetSeconds: k / fps }
  }))
}

function timeSegments(clip: VideoInfo, clipIndex: number, atLeast: number): DecodeTask[] {
  const d = clip.durationSeconds
  const parts = partCount(d, atLeast)
  if (parts === 1 || d === null) return [wholeClip(clipIndex)]
  return consecutiveSegments(clipIndex, Array.from({ length: parts }, (_, i) => ({ from: clip.startTime + (d * i) / parts, offsetSeconds: (d * i) / parts })))
}

function wholeClip(clipIndex: number): DecodeTask {
  return { clipIndex, offsetSeconds: 0 }
}

/** Tasks from their starts: each runs to the next one's start, the last to the clip's end,
 *  whatever the container claims the duration is. */
function consecutiveSegments(clipIndex: number, starts: Array<{ from: number; offsetSeconds: number }>): DecodeTask[] {
  return starts.map(({ from, offsetSeconds }, i) => ({ clipIndex, segment: { from, to: starts[i + 1]?.from }, offsetSeconds }))
}

/** Seconds into the clip of the k-th frame a task delivers (exact for constant-rate footage). */
export function frameTime(sampling: FrameSampling, k: number, fps: number | null, keyframeGap: number | null): number {
  switch (sampling.kind) {
    case 'every':
      return fps ? ((k + 1) * sampling.n - 1 - (sampling.phase ?? 0)) / fps : 0
    case 'fps':
      return k / sampling.fps
    case 'keyframes':
      return k * (keyframeGap ?? 0)
  }
}
