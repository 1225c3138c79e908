import { describe, expect, it } from 'vitest'
import { finish, ghostSearchFor, medianImage, medianSteps, removeGhosts, spreadSampleTimes, type GhostSearch } from '../../src/main/analysis/background'
import { MAX_SIMD_FRAMES, medianNetwork, simdMedian } from '../../src/main/analysis/median-simd'

describe('background', () => {
  it('takes the per-pixel median, so a passer-by in a minority of frames disappears', () => {
    const empty = [10, 20, 30, 40]
    const frames = [empty, empty, [200, 20, 30, 40], empty, [10, 20, 250, 40]].map((f) => Uint8Array.from(f))
    expect(Array.from(medianImage(frames, 4))).toEqual(empty)
    expect(Array.from(medianImage([Uint8Array.of(1), Uint8Array.of(9)], 1))).toEqual([1])
    expect(() => medianImage([], 4)).toThrow()
  })

  it('takes the same median with WebAssembly SIMD as by counting, for 1 to 32 frames and any size', () => {
    let seed = 7
    const random = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff
    for (let count = 1; count <= MAX_SIMD_FRAMES + 1; count++) {
      // Sizes around the 16-pixel lanes and the 4096-pixel passes.
      for (const size of [1, 15, 16, 17, 4095, 4097, 9000]) {
        // Mostly a quiet scene with noise, now and then anything: ties and outliers alike.
        const frames = Array.from({ length: count }, () => Uint8Array.from({ length: size }, () => (random() < 0.3 ? Math.floor(random() * 256) : 100 + Math.floor(random() * 6))))
        const counted = finish(medianSteps(frames, size, false))
        const simd = new Uint8Array(size)
        const done = simdMedian(frames, 0, size, simd)
        expect(done).toBe(count <= MAX_SIMD_FRAMES)
        if (done) expect(Buffer.from(simd).equals(Buffer.from(counted)), `${count} frames of ${size}`).toBe(true)
        expect(Buffer.from(medianImage(frames, size)).equals(Buffer.from(counted))).toBe(true)
      }
    }
    // The part of a pixel range asked for, and nothing else.
    const frames = [Uint8Array.of(1, 2, 3, 4), Uint8Array.of(5, 6, 7, 8), Uint8Array.of(9, 10, 11, 12)]
    const out = new Uint8Array(4)
    expect(simdMedian(frames, 1, 3, out)).toBe(true)
    expect(Array.from(out)).toEqual([0, 6, 7, 0])
  })

  it('needs only the comparators the median reads: fewer than a whole sort', () => {
    // Batcher's network sorts 32 values with 191 comparators; the median of 31 needs fewer.
    expect(medianNetwork(31).comparators.length).toBeLessThan(191)
    expect(medianNetwork(1)).toEqual({ comparators: [], result: 0 })
    expect(medianNetwork(2).comparators).toHaveLength(1)
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

describe('ghost removal', () => {
  const w = 120
  const h = 90
  const search: GhostSearch = { blur: 3, threshold: 22, minArea: 20, backgroundShare: 0.8, margin: 3, minViews: 2, maxChangedShare: 0.5 }
  /** A shop wall: a slow gradient with shelves (stripes of moderate contrast). */
  const scene = Uint8Array.from({ length: w * h }, (_, i) => 120 + Math.round((i % w) / 4) + ((Math.floor(i / w) >> 3) % 2 ? 12 : 0))
  type Rect = [x: number, y: number, width: number, height: number, grey: number]
  function frame(...people: Rect[]): Uint8Array {
    const f = Uint8Array.from(scene)
    for (const [x0, y0, pw, ph, grey] of people) for (let y = y0; y < y0 + ph; y++) for (let x = x0; x < x0 + pw; x++) f[y * w + x] = grey
    return f
  }
  const spot = (grey: number): Rect => [50, 30, 12, 30, grey]
  const inSpot = (i: number): boolean => i % w >= 50 && i % w < 62 && Math.floor(i / w) >= 30 && Math.floor(i / w) < 60

  it('puts back the empty scene where people stood most of the day', () => {
    // One visitor after another at the same spot (6 of 9 frames), someone walking elsewhere.
    const frames = [
      frame(), frame([10, 40, 8, 20, 60]), frame(),
      frame(spot(40)), frame(spot(48), [90, 35, 8, 20, 70]), frame(spot(55)), frame(spot(45)), frame(spot(52)), frame(spot(42))
    ]
    const median = medianImage(frames, w * h)
    expect(median.filter((_, i) => inSpot(i) && median[i] < 60).length).toBe(12 * 30)
    const repaired = removeGhosts(frames, median, w, h, search)
    expect(Array.from(repaired)).toEqual(Array.from(scene))
  })

  it('leaves a median without ghosts alone', () => {
    const frames = [frame(), frame([10, 40, 8, 20, 60]), frame([30, 40, 8, 20, 60]), frame([70, 30, 8, 20, 50]), frame(spot(40)), frame()]
    const median = medianImage(frames, w * h)
    expect(Array.from(median)).toEqual(Array.from(scene))
    expect(Array.from(removeGhosts(frames, median, w, h, search))).toEqual(Array.from(median))
  })

  it('needs the empty place seen in at least minViews frames', () => {
    const frames = [frame(), frame(spot(40)), frame(spot(48)), frame(spot(55)), frame(spot(45))]
    const median = medianImage(frames, w * h)
    expect(Array.from(removeGhosts(frames, median, w, h, search))).toEqual(Array.from(median))
  })

  it('does not trust a "ghost" with something else changing right next to it', () => {
    // Whenever the spot looks empty, someone stands beside it: that could be a person covering a
    // bright part of the scene rather than a ghost, so the median stays.
    const beside: Rect = [65, 30, 6, 30, 70]
    const frames = [frame(beside), frame(beside), frame(spot(40)), frame(spot(48)), frame(spot(55)), frame(spot(45))]
    const median = medianImage(frames, w * h)
    expect(Array.from(removeGhosts(frames, median, w, h, search))).toEqual(Array.from(median))
  })

  it('scales its sizes with the analysis width', () => {
    expect(ghostSearchFor(640)).toMatchObject({ blur: 5, minArea: 100, margin: 5, threshold: 22 })
    expect(ghostSearchFor(1920)).toMatchObject({ blur: 15, minArea: 900, margin: 15 })
  })
})
