import { describe, expect, it } from 'vitest'
import { expectedSamples, resolveSampling } from '../../src/main/analysis/plan-sampling'
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
