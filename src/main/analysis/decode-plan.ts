// Splits a day into decode tasks that can run side by side. Keyframe-only decoding keeps one
// core busy per ffmpeg, so long clips are cut into time segments, one per core; other sampling
// decodes every frame with ffmpeg's own threads, so one clip at a time is best.
import type { FrameSampling } from '../media/gray-frames'
import type { VideoInfo } from '../media/probe'

export interface DecodeTask {
  clipIndex: number
  segment?: { from: number; to?: number }
  /** Clip time (s) of the first frame this task delivers, for time buckets. */
  offsetSeconds: number
}

/** Shorter segments than this cost more in start-up than they win. */
const MIN_SEGMENT_SECONDS = 30

export function planDecode(clips: VideoInfo[], sampling: FrameSampling, cores: number): { tasks: DecodeTask[]; concurrency: number } {
  if (sampling.kind !== 'keyframes' || cores < 2) {
    return { tasks: clips.map((_, clipIndex) => ({ clipIndex, offsetSeconds: 0 })), concurrency: 1 }
  }
  const tasks: DecodeTask[] = []
  clips.forEach((clip, clipIndex) => {
    const d = clip.durationSeconds
    const parts = d === null ? 1 : Math.max(1, Math.min(cores, Math.floor(d / MIN_SEGMENT_SECONDS)))
    if (parts === 1 || d === null) {
      tasks.push({ clipIndex, offsetSeconds: 0 })
      return
    }
    for (let i = 0; i < parts; i++) {
      const from = clip.startTime + (d * i) / parts
      // The last segment runs to the end, whatever the container claims the duration is.
      const to = i === parts - 1 ? undefined : clip.startTime + (d * (i + 1)) / parts
      tasks.push({ clipIndex, segment: { from, to }, offsetSeconds: (d * i) / parts })
    }
  })
  return { tasks, concurrency: cores }
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
