// Turns `--sample auto` into a concrete plan for the footage at hand.
import type { Sample } from '../../shared/settings'
import type { FrameSampling } from '../media/gray-frames'
import type { VideoInfo } from '../media/probe'

/** Enough frames per day for a stable share-of-time estimate. */
export const TARGET_SAMPLES = 300
/** Keyframes further apart than this miss short visits. */
export const MAX_KEYFRAME_GAP_SECONDS = 2.5

/** A clip's length: its duration, else (a bare stream, which has none) its frames at its rate. */
function clipSeconds(clip: VideoInfo): number | null {
  return clip.durationSeconds ?? (clip.frameCount !== null && clip.fps ? clip.frameCount / clip.fps : null)
}

export function expectedSamples(sampling: FrameSampling, clip: VideoInfo, keyframeGap: number | null): number | null {
  const seconds = clipSeconds(clip)
  switch (sampling.kind) {
    case 'every':
      return clip.frameCount === null ? null : Math.floor(clip.frameCount / sampling.n)
    case 'fps':
      return seconds === null ? null : Math.round(seconds * sampling.fps)
    case 'keyframes':
      return seconds === null || !keyframeGap ? null : Math.ceil(seconds / keyframeGap)
  }
}

/**
 * Keyframes when they come often enough and give enough samples (they decode many times
 * faster); otherwise a frame step that samples at least every 2 s and gives TARGET_SAMPLES.
 */
export function resolveSampling(sample: Sample, clips: VideoInfo[], keyframeGap: number | null): FrameSampling {
  // A rate at or above the footage's own would make ffmpeg's fps filter repeat frames: every
  // frame is what was asked for.
  if (sample.kind === 'fps' && clips.every((c) => c.fps !== null && sample.fps >= c.fps)) return { kind: 'every', n: 1 }
  if (sample.kind !== 'auto') return sample
  const frames = clips.reduce((n, c) => n + (c.frameCount ?? 0), 0)
  const seconds = clips.reduce((n, c) => n + (clipSeconds(c) ?? 0), 0)
  const fps = clips.find((c) => c.fps)?.fps ?? 25
  if (keyframeGap !== null && keyframeGap <= MAX_KEYFRAME_GAP_SECONDS && seconds / keyframeGap >= TARGET_SAMPLES) {
    return { kind: 'keyframes' }
  }
  const step = Math.max(1, Math.min(Math.floor(frames / TARGET_SAMPLES), Math.round(2 * fps)))
  return { kind: 'every', n: step }
}
