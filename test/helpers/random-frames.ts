// Reproducible random pictures for kernel tests and the kernel benchmark: the same seed gives
// the same bytes everywhere. The generator is the footage generator's own.
import { mulberry32 } from '../../src/main/footage/random'

/** A seeded generator: numbers in [0, 1). */
export const random = mulberry32

/** A w x h grey picture of uniform noise: a reference with detail everywhere. */
export function noiseImage(w: number, h: number, seed: number): Uint8Array {
  const r = random(seed)
  return Uint8Array.from({ length: w * h }, () => Math.floor(r() * 256))
}
