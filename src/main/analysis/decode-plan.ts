// Splits a day into decode tasks that use every core. Keyframes of an MP4/MOV clip are read
// through its index by an ffmpeg that decodes several at once on frame threads; other
// keyframe-only decodes keep one core busy per ffmpeg, so long clips are cut into time segments,
// one per core. Sampling that decodes every frame uses ffmpeg's own threads: one clip at a time.
// Each task is a checkpoint: a stopped run resumes after the last finished one.
import type { FrameSampling } from '../media/gray-frames'
import type { VideoInfo } from '../media/probe'

export interface DecodeTask {
  clipIndex: number
  segment?: { from: number; to?: number }
  /** Clip time (s) of the first frame this task delivers, for time buckets. */
  offsetSeconds: number
  /** Decoder threads, for keyframes read through the clip's index. */
  threads?: number
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

export function planDecode(clips: VideoInfo[], sampling: FrameSampling, cores: number): { tasks: DecodeTask[]; concurrency: number } {
  if (sampling.kind !== 'keyframes') {
    return { tasks: clips.map((_, clipIndex) => ({ clipIndex, offsetSeconds: 0 })), concurrency: 1 }
  }
  const decoders = Math.max(1, Math.floor(cores / CORES_PER_INDEXED_DECODER))
  // One frame thread more than its cores (measured, ffmpeg alone on the 60-minute clip: three
  // threads on two cores 11.0 s, two threads 11.8-12.1 s); a single core gets a single thread.
  const share = Math.ceil(cores / decoders)
  const threads = share > 1 ? share + 1 : 1
  const tasks = clips.flatMap((clip, clipIndex): DecodeTask[] =>
    clip.keyframeIndex
      ? timeSegments(clip, clipIndex, decoders).map((t) => ({ ...t, threads }))
      : timeSegments(clip, clipIndex, cores)
  )
  const allIndexed = clips.every((c) => c.keyframeIndex)
  return { tasks, concurrency: allIndexed ? decoders : cores }
}

/** At least `atLeast` segments (one per decoder running side by side), none longer than
 *  MAX_TASK_SECONDS, none shorter than MIN_SEGMENT_SECONDS. */
function timeSegments(clip: VideoInfo, clipIndex: number, atLeast: number): DecodeTask[] {
  const d = clip.durationSeconds
  const parts = d === null ? 1 : Math.max(1, Math.min(Math.max(atLeast, Math.ceil(d / MAX_TASK_SECONDS)), Math.floor(d / MIN_SEGMENT_SECONDS)))
  if (parts === 1 || d === null) return [{ clipIndex, offsetSeconds: 0 }]
  return Array.from({ length: parts }, (_, i) => {
    const from = clip.startTime + (d * i) / parts
    // The last segment runs to the end, whatever the container claims the duration is.
    const to = i === parts - 1 ? undefined : clip.startTime + (d * (i + 1)) / parts
    return { clipIndex, segment: { from, to }, offsetSeconds: (d * i) / parts }
  })
}

/** Seconds into the clip of the k-th frame a task delivers (exact for constant-rate footage). */
export function frameTime(sampling: FrameSampling, k: number, fps: number | null, keyframeGap: number | null): number {
  switch (sampling.kind) {
    case 'every':
      return fps ? ((k + 1) * sampling.n - 1) / fps : 0
    case 'fps':
      return k / sampling.fps
    case 'keyframes':
      return k * (keyframeGap ?? 0)
  }
}
