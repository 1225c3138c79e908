import { describe, expect, it } from 'vitest'
import { medianImage, spreadSampleTimes } from '../../src/main/analysis/background'

describe('background', () => {
  it('takes the per-pixel median, so a passer-by in a minority of frames disappears', () => {
    const empty = [10, 20, 30, 40]
    const frames = [empty, empty, [200, 20, 30, 40], empty, [10, 20, 250, 40]].map((f) => Uint8Array.from(f))
    expect(Array.from(medianImage(frames, 4))).toEqual(empty)
    expect(Array.from(medianImage([Uint8Array.of(1), Uint8Array.of(9)], 1))).toEqual([1])
    expect(() => medianImage([], 4)).toThrow()
  })

  it('spreads sample times over all clips of a day', () => {
    const times = spreadSampleTimes([10, 30], 4)
    expect(times).toEqual([
      { clip: 0, seconds: 5 },
      { clip: 1, seconds: 5 },
      { clip: 1, seconds: 15 },
      { clip: 1, seconds: 25 }
    ])
  })
})
