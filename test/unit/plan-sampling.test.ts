import { describe, expect, it } from 'vitest'
import { describePlan, expectedSamples, planSampling, resolveSampling, spacingFromIndex, unexpectedCounts } from '../../src/main/analysis/plan-sampling'
import type { VideoInfo } from '../../src/main/media/probe'

const clip = (seconds: number, fps = 25): VideoInfo => ({
  path: 'c.mp4', bytes: 1, width: 640, height: 360, fps, durationSeconds: seconds, frameCount: Math.round(seconds * fps), codec: 'h264', startTime: 0, mtimeMs: 0
})

describe('auto sampling', () => {
  it('uses keyframes when they are close together and give enough samples', () => {
    expect(resolveSampling({ kind: 'auto' }, [clip(636)], 2)).toEqual({ kind: 'keyframes' })
  })

  it('does not sample a clip with sparse keyframes only a handful of times', () => {
    // 795 frames with 4 keyframes: keyframes would give 4 samples.
    const s = resolveSampling({ kind: 'auto' }, [clip(79.5, 10)], 20)
    expect(s).toEqual({ kind: 'every', n: 2 })
    expect(expectedSamples(s, clip(79.5, 10), 20)).toBeGreaterThanOrEqual(300)
  })

  it('samples at least every 2 s on long footage without usable keyframes', () => {
    expect(resolveSampling({ kind: 'auto' }, [clip(8 * 3600)], 10)).toEqual({ kind: 'every', n: 50 })
  })

  it('uses every frame of a short clip', () => {
    expect(resolveSampling({ kind: 'auto' }, [clip(7.16)], null)).toEqual({ kind: 'every', n: 1 })
  })

  it('takes every frame for a rate at or above the footage\'s own (ffmpeg would repeat frames)', () => {
    expect(resolveSampling({ kind: 'fps', fps: 30 }, [clip(10, 10), clip(10, 25)], 2)).toEqual({ kind: 'every', n: 1 })
    expect(resolveSampling({ kind: 'fps', fps: 10 }, [clip(10, 10)], 2)).toEqual({ kind: 'every', n: 1 })
    // Slower than one clip's rate: that clip is still sampled at the rate asked for.
    expect(resolveSampling({ kind: 'fps', fps: 12 }, [clip(10, 10), clip(10, 25)], 2)).toEqual({ kind: 'fps', fps: 12 })
    expect(resolveSampling({ kind: 'fps', fps: 2 }, [clip(10, 10)], 2)).toEqual({ kind: 'fps', fps: 2 })
  })

  it('measures a bare stream (no duration) by its frames at its rate', () => {
    // 10 minutes at 25 fps with a keyframe every 2 s, as its frames were counted (annexb-scan.ts).
    const raw: VideoInfo = { ...clip(600), durationSeconds: null, rawStream: true }
    expect(resolveSampling({ kind: 'auto' }, [raw], 2)).toEqual({ kind: 'keyframes' })
    expect(expectedSamples({ kind: 'keyframes' }, raw, 2)).toBe(300)
    expect(expectedSamples({ kind: 'fps', fps: 1 }, raw, 2)).toBe(600)
    expect(resolveSampling({ kind: 'auto' }, [raw], 10)).toEqual({ kind: 'every', n: 50 })
    // Frames not counted: no length, so no total, and every frame.
    const unknown: VideoInfo = { ...raw, frameCount: null }
    expect(expectedSamples({ kind: 'keyframes' }, unknown, 2)).toBeNull()
    expect(resolveSampling({ kind: 'auto' }, [unknown], 2)).toEqual({ kind: 'every', n: 1 })
  })

  it('keeps an explicit choice', () => {
    expect(resolveSampling({ kind: 'every', n: 5 }, [clip(10)], 2)).toEqual({ kind: 'every', n: 5 })
  })
})

describe('a day planned as a whole', () => {
  it('carries the step\'s count over from clip to clip', () => {
    // 600 s at 25 fps, then twenty clips of 48 frames: every:50, and the short clips between them
    // get one sample every 50 frames (19), not none.
    const clips = [clip(600), ...Array.from({ length: 20 }, () => clip(1.92))]
    const plan = planSampling({ kind: 'auto' }, clips, [{ gap: 10 }])
    expect(plan.day).toEqual({ kind: 'every', n: 50 })
    expect(plan.expected.slice(1).reduce<number>((a, n) => a + n!, 0)).toBe(19)
    expect(plan.clips[2]).toEqual({ kind: 'every', n: 50, phase: 48 })
    // An explicit step keeps its count in frames.
    const every = planSampling({ kind: 'every', n: 5 }, [clip(0.12), clip(0.12)], [null])
    expect(every.clips).toEqual([{ kind: 'every', n: 5 }, { kind: 'every', n: 5, phase: 3 }])
    expect(every.expected).toEqual([0, 1])
  })

  it('gives each clip its own step for one interval under auto', () => {
    const plan = planSampling({ kind: 'auto' }, [clip(300, 25), clip(300, 5)], [{ gap: 10 }])
    expect(plan.clips.map((s) => s.kind === 'every' && s.n)).toEqual([50, 10])
    expect(plan.expected).toEqual([150, 150])
    expect(describePlan(plan)).toBe('every 2 s (every:50/10 by clip frame rate)')
  })

  it('judges keyframes on every clip whose spacing is known, not the first alone', () => {
    const clips = [clip(400, 10), clip(400, 10)]
    expect(planSampling({ kind: 'auto' }, clips, [{ gap: 1, count: 400 }, { gap: 1, count: 400 }]).day).toEqual({ kind: 'keyframes' })
    // The second clip has one keyframe: 400 s apart.
    expect(planSampling({ kind: 'auto' }, clips, [{ gap: 1, count: 400 }, { gap: 400, count: 1 }]).day.kind).toBe('every')
    // Intra-only first clip (MJPEG): keyframes would be every frame.
    expect(planSampling({ kind: 'auto' }, clips, [{ gap: 0.1 }]).day.kind).toBe('every')
    // One clip with keyframes four times as often weighs four times its length.
    expect(planSampling({ kind: 'auto' }, clips, [{ gap: 2, count: 200 }, { gap: 0.5, count: 800 }]).day.kind).toBe('every')
    expect(spacingFromIndex(clip(100, 10), [0])).toEqual({ gap: 100, count: 1 })
  })

  it('flags a clip that gave far fewer or more keyframes than planned', () => {
    const clips = [clip(400, 10), clip(400, 10), clip(400, 10)]
    const plan = planSampling({ kind: 'auto' }, clips, [{ gap: 2 }])
    expect(plan.day).toEqual({ kind: 'keyframes' })
    const flagged = unexpectedCounts(clips, plan, [200, 4, 4000])
    expect(flagged.map((f) => f.index)).toEqual([1, 2])
    expect(flagged[0].message).toMatch(/gave 4 keyframes where about 200 were expected for its 400 s/)
  })
})
