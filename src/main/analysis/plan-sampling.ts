// Turns `--sample auto` into a concrete plan for the footage at hand, clip by clip.
import type { Sample } from '../../shared/settings'
import type { FrameSampling } from '../media/gray-frames'
import type { VideoInfo } from '../media/probe'

/** Enough frames per day for a stable share-of-time estimate. */
export const TARGET_SAMPLES = 300
/** Keyframes further apart than this miss short visits. */
export const MAX_KEYFRAME_GAP_SECONDS = 2.5
/**
 * Keyframes weigh each clip by how often its keyframes come, not by its length: they are used only
 * while at most this share of the day's weight lands on the wrong clips (half the sum of
 * |share of samples - share of time|). A day of one camera's clips is near 0; one intra-only or
 * sparse clip among others is far above.
 */
export const MAX_KEYFRAME_BIAS = 0.1
/** Rate assumed for a clip whose probe gave none. */
const DEFAULT_FPS = 25

/** What is known of a clip's keyframes. */
export interface KeyframeSpacing {
  /** Mean seconds between keyframes; null when unknown. */
  gap: number | null
  /** The keyframes of the whole clip, where its index lists them (exact). */
  count?: number | null
}

/** A day's sampling: the same for every clip, or (auto's frame step) each clip its own. */
export interface SamplingPlan {
  /** The day's sampling as a whole (the first clip's, for an `every` step per clip). */
  day: FrameSampling
  /** Each clip's sampling, aligned with the clips. An `every` step carries the day's count over
   *  from the clips before (`phase`), so short clips are sampled at the day's rate, not each
   *  from its own frame 0. */
  clips: FrameSampling[]
  /** Frames each clip gives (null: unknown). */
  expected: Array<number | null>
  /** auto's frame step: seconds between samples (each clip's step is its rate times this). */
  intervalSeconds?: number
  /** Worth telling the user before decoding. */
  notes: string[]
}

/** A clip's length: its duration, else (a bare stream, which has none) its frames at its rate. */
function clipSeconds(clip: VideoInfo): number | null {
  return clip.durationSeconds ?? (clip.frameCount !== null && clip.fps ? clip.frameCount / clip.fps : null)
}

/** A clip's frames: as counted, else its length at its rate. */
function clipFrames(clip: VideoInfo): number | null {
  if (clip.frameCount !== null) return clip.frameCount
  return clip.durationSeconds !== null && clip.fps ? Math.round(clip.durationSeconds * clip.fps) : null
}

export function expectedSamples(sampling: FrameSampling, clip: VideoInfo, spacing: KeyframeSpacing | number | null): number | null {
  const seconds = clipSeconds(clip)
  const frames = clipFrames(clip)
  switch (sampling.kind) {
    case 'every':
      return frames === null ? null : Math.floor((frames + (sampling.phase ?? 0)) / sampling.n)
    case 'fps':
      return seconds === null ? null : Math.round(seconds * sampling.fps)
    case 'keyframes': {
      const s = typeof spacing === 'number' || spacing === null ? { gap: spacing } : spacing
      if (s.count) return s.count
      return seconds === null || !s.gap ? null : Math.ceil(seconds / s.gap)
    }
  }
}

/**
 * Keyframes when every clip's come often enough, give enough samples, and weigh the clips by
 * their length (they decode many times faster); otherwise a frame step for each clip that samples
 * the whole day at one interval: at least every 2 s, and TARGET_SAMPLES in all. `spacing` is
 * aligned with the clips; a clip whose spacing is not known is taken to be like the first one's
 * (the analysis checks what each clip gave).
 */
export function planSampling(sample: Sample, clips: VideoInfo[], spacing: Array<KeyframeSpacing | null>): SamplingPlan {
  const first = spacing[0]?.gap ?? null
  const like = (i: number): KeyframeSpacing => (spacing[i]?.gap ? spacing[i]! : { gap: first })
  const notes: string[] = []
  const uniform = (s: FrameSampling): SamplingPlan => {
    const perClip = s.kind === 'every' ? stepsOf(clips, () => s.n, 'frames') : clips.map(() => s)
    return { day: s, clips: perClip, expected: clips.map((c, i) => expectedSamples(perClip[i], c, like(i))), notes }
  }
  // A rate at or above the footage's own would make ffmpeg's fps filter repeat frames: every
  // frame is what was asked for.
  if (sample.kind === 'fps' && clips.every((c) => c.fps !== null && sample.fps >= c.fps)) return uniform({ kind: 'every', n: 1 })
  if (sample.kind === 'every' && sample.n > 1) {
    const rates = [...new Set(clips.map((c) => c.fps).filter((f): f is number => f !== null))]
    if (rates.length > 1) {
      notes.push(`the clips run at different frame rates (${rates.sort((a, b) => a - b).map(String).join(', ')} fps): every:${sample.n} takes every ${sample.n}th frame of each, so the faster clips count more per hour; fps:X or auto sample them by time`)
    }
  }
  const misfit = sample.kind === 'auto' || sample.kind === 'keyframes' ? keyframesMisfit(clips, clips.map((_, i) => like(i))) : null
  if (sample.kind === 'keyframes' && misfit && misfit !== 'unknown' && misfit !== 'few') {
    notes.push(`keyframes weigh each clip by its keyframes, not its length: ${misfit}; auto, every:N or fps:X sample by time`)
  }
  if (sample.kind !== 'auto') return uniform(sample)
  if (misfit === null) return uniform({ kind: 'keyframes' })
  const seconds = clips.reduce((n, c) => n + (clipSeconds(c) ?? 0), 0)
  const rateOf = (c: VideoInfo): number => c.fps ?? clips.find((x) => x.fps)?.fps ?? DEFAULT_FPS
  // One interval for the day, each clip its own step: clips at different rates weigh by time.
  const interval = Math.min(seconds / TARGET_SAMPLES, 2)
  const stepOf = (c: VideoInfo): number => Math.max(1, Math.min(Math.floor(rateOf(c) * interval), Math.round(2 * rateOf(c))))
  const perClip = stepsOf(clips, (_, i) => stepOf(clips[i]), 'time')
  const day = perClip[0] as Extract<FrameSampling, { kind: 'every' }>
  return { day: { kind: 'every', n: day.n }, clips: perClip, expected: clips.map((c, i) => expectedSamples(perClip[i], c, null)), intervalSeconds: interval, notes }
}

/** resolveSampling's day-level answer alone (one spacing for the day: the first clip's). */
export function resolveSampling(sample: Sample, clips: VideoInfo[], keyframeGap: number | null): FrameSampling {
  return planSampling(sample, clips, [{ gap: keyframeGap }]).day
}

/** Intra-only footage (MJPEG...): every frame is a keyframe, so `keyframes` means every frame. */
function allKeyframes(clip: VideoInfo, gap: number): boolean {
  return clip.fps !== null && gap * clip.fps < 1.5
}

/** Why keyframes do not serve this day (null: they do); 'unknown' and 'few' are no fault of a clip. */
function keyframesMisfit(clips: VideoInfo[], spacing: KeyframeSpacing[]): string | null {
  const seconds = clips.map((c) => clipSeconds(c) ?? 0)
  const samples = clips.map((c, i) => expectedSamples({ kind: 'keyframes' }, c, spacing[i]))
  if (samples.some((n) => n === null)) return 'unknown'
  const total = samples.reduce<number>((a, n) => a + n!, 0)
  const time = seconds.reduce((a, s) => a + s, 0)
  if (time <= 0) return 'few'
  for (const [i, clip] of clips.entries()) {
    const gap = spacing[i].gap!
    // A clip's keyframes as they fall: a 100 s clip with one keyframe is 100 s apart, however
    // short its first spacing.
    const apart = spacing[i].count ? Math.max(gap, seconds[i] / spacing[i].count!) : gap
    if (apart > MAX_KEYFRAME_GAP_SECONDS) return `${clip.path} has a keyframe only every ${+apart.toFixed(1)} s`
    if (allKeyframes(clip, gap)) return `every frame of ${clip.path} is a keyframe`
  }
  const bias = clips.reduce((a, _, i) => a + Math.abs(samples[i]! / total - seconds[i] / time), 0) / 2
  if (bias > MAX_KEYFRAME_BIAS) return `the clips' keyframes are spaced unevenly (${Math.round(bias * 100)} % of the samples would fall on the wrong clips)`
  return total < TARGET_SAMPLES ? 'few' : null
}

/**
 * Each clip's `every` step, its count carried over from the clips before: the frames since the
 * last sample as a phase, so that a day of clips shorter than the step still gets a sample every
 * step. `carry`: 'frames' keeps the count in frames (an explicit every:N), 'time' in seconds
 * (auto, whose steps follow each clip's rate). A clip of unknown length restarts the count.
 */
function stepsOf(clips: VideoInfo[], step: (c: VideoInfo, i: number) => number, carry: 'frames' | 'time'): FrameSampling[] {
  let since = 0
  let sinceSeconds = 0
  return clips.map((clip, i) => {
    const n = step(clip, i)
    const fromSeconds = clip.fps ? Math.round(sinceSeconds * clip.fps) : 0
    const phase = Math.min(n - 1, carry === 'frames' ? since % n : fromSeconds)
    const frames = clipFrames(clip)
    since = frames === null ? 0 : (frames + phase) % n
    sinceSeconds = frames === null || !clip.fps ? 0 : since / clip.fps
    return phase > 0 ? { kind: 'every', n, phase } : { kind: 'every', n }
  })
}

/** How the day was sampled, for summary.json: auto's interval when the clips' steps differ. */
export function describePlan(plan: SamplingPlan): string {
  const steps = new Set(plan.clips.map((s) => (s.kind === 'every' ? s.n : null)))
  if (plan.day.kind !== 'every' || steps.size <= 1 || plan.intervalSeconds === undefined) {
    return plan.day.kind === 'every' ? `every:${plan.day.n}` : plan.day.kind === 'fps' ? `fps:${plan.day.fps}` : 'keyframes'
  }
  return `every ${+plan.intervalSeconds.toFixed(3)} s (every:${[...steps].join('/')} by clip frame rate)`
}

/** A clip's keyframe spacing from the keyframes its index lists (times in s from its first frame). */
export function spacingFromIndex(clip: VideoInfo, keyframeSeconds: number[]): KeyframeSpacing {
  const count = keyframeSeconds.length
  if (count === 0) return { gap: null }
  const gap = count > 1 ? (keyframeSeconds[count - 1] - keyframeSeconds[0]) / (count - 1) : clipSeconds(clip)
  return { gap: gap || null, count }
}

/**
 * Clips that gave far fewer or far more frames than the plan expected of them: their keyframes
 * are spaced unlike what it knew (a clip without an index is taken to be like the first one), so
 * they count for less or more than their time in the day's figures.
 */
export function unexpectedCounts(clips: VideoInfo[], plan: SamplingPlan, sampled: number[]): Array<{ index: number; message: string }> {
  if (plan.day.kind !== 'keyframes') return []
  const out: Array<{ index: number; message: string }> = []
  const fix = 'auto (on a day it can measure) or every:N or fps:X sample it by time'
  for (const [i, clip] of clips.entries()) {
    const expected = plan.expected[i]
    const seconds = clipSeconds(clip)
    if (expected === null || seconds === null) continue
    const length = `${+seconds.toFixed(1)} s`
    if (expected >= 3 && sampled[i] < expected / 3) {
      out.push({ index: i, message: `gave ${sampled[i]} keyframes where about ${expected} were expected for its ${length}: its keyframes are further apart than the day's, so it counts for less than its time; ${fix}` })
    } else if (sampled[i] >= 10 && sampled[i] > expected * 3) {
      out.push({ index: i, message: `gave ${sampled[i]} keyframes where about ${expected} were expected for its ${length}: its keyframes come more often than the day's (every frame, in MJPEG), so it counts for more than its time; ${fix}` })
    }
  }
  return out
}
