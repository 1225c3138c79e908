// Global brightness over time: a slow fade and an optional sudden switch. It changes every pixel
// but never the ground truth, which counts only people.
import type { ClipSpec } from './clip-spec'

const DRIFT = 0.05
const JUMP = 1.25
/** Gain is rounded to 1/256 steps (under one grey level), so the lit scene is rebuilt only
 *  a dozen times per clip instead of every frame. */
const STEPS = 256

export function lightingGain(spec: ClipSpec, frame: number): number {
  const t = frame / spec.fps
  let gain = 1
  if (spec.lightingDrift) gain *= 1 - (DRIFT * t) / spec.seconds
  if (spec.lightingJumpAtSecond !== null && t >= spec.lightingJumpAtSecond) gain *= JUMP
  return Math.round(gain * STEPS) / STEPS
}

/** Byte value -> byte value under a gain, saturating like a sensor. */
export function gainTable(gain: number): Uint8Array {
  const table = new Uint8Array(256)
  for (let v = 0; v < 256; v++) table[v] = Math.min(255, Math.round(v * gain))
  return table
}
