// Reproducible random pictures for kernel tests and the kernel benchmark: the same seed gives
// the same bytes everywhere.

/** A small seeded generator (mulberry32): numbers in [0, 1). */
export function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A w x h grey picture of uniform noise: a reference with detail everywhere. */
export function noiseImage(w: number, h: number, seed: number): Uint8Array {
  const r = random(seed)
  return Uint8Array.from({ length: w * h }, () => Math.floor(r() * 256))
}
