// The native and the TypeScript kernel must agree to the last digit: the fallback is only
// honest if it computes the same heatmap.
import { describe, expect, it } from 'vitest'
import { BoxBlur } from '../../src/main/analysis/kernels/box-blur'
import type { KernelConfig } from '../../src/main/analysis/kernels/kernel'
import { OpenCVKernel, loadOpenCV } from '../../src/main/analysis/kernels/opencv-kernel'
import { TypeScriptKernel } from '../../src/main/analysis/kernels/typescript-kernel'

const loaded = loadOpenCV()
if (!('cv' in loaded)) throw new Error(`the OpenCV addon must load for these tests: ${loaded.error}`)
const cv = loaded.cv

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function noiseImage(w: number, h: number, seed: number): Uint8Array {
  const r = random(seed)
  return Uint8Array.from({ length: w * h }, () => Math.floor(r() * 256))
}

/** A frame like the reference with a few bright "people" and some noise. */
function frameWithPeople(ref: Uint8Array, w: number, h: number, seed: number): Uint8Array {
  const r = random(seed)
  const f = Uint8Array.from(ref, (v) => Math.max(0, Math.min(255, v + Math.round((r() - 0.5) * 8))))
  for (let p = 0; p < 3; p++) {
    const x0 = Math.floor(r() * (w - 8))
    const y0 = Math.floor(r() * (h - 12))
    for (let y = y0; y < y0 + 12; y++) for (let x = x0; x < x0 + 8; x++) f[y * w + x] = 230
  }
  return f
}

describe('box blur', () => {
  for (const [w, h, k] of [[64, 48, 11], [37, 23, 5], [640, 360, 11], [15, 13, 3], [12, 12, 11], [20, 9, 1]]) {
    it(`matches cv.blur exactly at ${w}x${h}, ${k}x${k}`, () => {
      const src = noiseImage(w, h, w * 1000 + k)
      const ours = new Uint8Array(w * h)
      new BoxBlur(w, h, k).apply(src, ours)
      const mat = new cv.Mat(Buffer.from(src), h, w, cv.CV_8UC1)
      const theirs = new Uint8Array(mat.blur(new cv.Size(k, k), new cv.Point2(-1, -1), cv.BORDER_REFLECT_101).getData())
      let mismatches = 0
      for (let i = 0; i < ours.length; i++) if (ours[i] !== theirs[i]) mismatches++
      expect(mismatches).toBe(0)
    })
  }

  it('refuses an even size', () => {
    expect(() => new BoxBlur(10, 10, 4)).toThrow(/odd/)
  })
})

describe('kernels', () => {
  const w = 96
  const h = 64
  const ref = noiseImage(w, h, 7)
  const mask = Uint8Array.from({ length: w * h }, (_, i) => (i % w < 10 ? 1 : 0))
  const configs: Array<[string, KernelConfig]> = [
    ['seed', { width: w, height: h, blur: 11, method: 'seed', threshold: 0, maxChangedShare: 1, mask: null }],
    ['occupancy', { width: w, height: h, blur: 5, method: 'occupancy', threshold: 20, maxChangedShare: 0.5, mask: null }],
    ['occupancy with mask', { width: w, height: h, blur: 5, method: 'occupancy', threshold: 20, maxChangedShare: 0.5, mask }],
    ['seed with mask', { width: w, height: h, blur: 11, method: 'seed', threshold: 0, maxChangedShare: 1, mask }]
  ]
  for (const [name, config] of configs) {
    it(`give identical totals: ${name}`, () => {
      const native = new OpenCVKernel(cv, config)
      const plain = new TypeScriptKernel(config)
      native.setReference(ref)
      plain.setReference(ref)
      for (let i = 0; i < 20; i++) {
        const frame = frameWithPeople(ref, w, h, 100 + i)
        expect(native.add(frame, i % 3)).toBe(plain.add(frame, i % 3))
      }
      const a = native.totals()
      const b = plain.totals()
      expect(Math.max(...a)).toBeGreaterThan(0)
      expect(Array.from(a)).toEqual(Array.from(b))
      if (config.mask) for (let i = 0; i < a.length; i++) if (config.mask[i]) expect(a[i]).toBe(0)
      if (config.method === 'occupancy') {
        // Three time buckets, identical in both kernels, adding up to the total.
        const nb = native.bucketTotals()
        const pb = plain.bucketTotals()
        expect([...nb.keys()].sort()).toEqual([0, 1, 2])
        for (const [k, v] of nb) expect(Array.from(v)).toEqual(Array.from(pb.get(k)!))
        expect(Array.from(a)).toEqual(Array.from(a, (_, i) => nb.get(0)![i] + nb.get(1)![i] + nb.get(2)![i]))
      }
      native.dispose()
    })
  }

  it('skip a frame where most of the picture changes at once (lights switched on)', () => {
    const config: KernelConfig = { width: w, height: h, blur: 5, method: 'occupancy', threshold: 20, maxChangedShare: 0.5, mask: null }
    for (const kernel of [new OpenCVKernel(cv, config), new TypeScriptKernel(config)]) {
      kernel.setReference(ref)
      const brighter = Uint8Array.from(ref, (v) => Math.min(255, v + 60))
      expect(kernel.add(brighter, 0)).toBe(false)
      expect(kernel.add(frameWithPeople(ref, w, h, 1), 0)).toBe(true)
      expect(Math.max(...kernel.totals())).toBe(1)
      kernel.dispose()
    }
  })
})
