// What every accumulation kernel does, native or not. One kernel instance serves one analysis.
import type { Method } from '../../../shared/settings'
import type { Closing } from './morphology'

export interface KernelConfig {
  width: number
  height: number
  /** Box blur size in pixels (odd). */
  blur: number
  method: Method
  /** Occupancy: a blurred grey-level difference above this counts as occupied. */
  threshold: number
  /** Occupancy: frames in which more than this share of the picture changed are skipped. */
  maxChangedShare: number
  /** 1 = ignore this pixel (mask painted by the owner), 0 = use it. */
  mask: Uint8Array | null
  /**
   * Occupancy: closing of each frame's occupancy mask (see morphology.ts). Left out, it follows
   * from the width (defaultClosing); null turns it off.
   */
  closing?: Closing | null
}

export type KernelName = 'opencv' | 'typescript'

export interface Kernel {
  readonly name: KernelName
  setReference(gray: Uint8Array): void
  /**
   * Adds one frame to time bucket `bucket` (occupancy keeps one sum per bucket, e.g. per hour;
   * seed keeps one sum). Returns false when the frame was skipped as a whole-picture change.
   */
  add(gray: Uint8Array, bucket: number): boolean
  /** Seed: summed absolute differences. Occupancy: number of frames each pixel was occupied. */
  totals(): Float64Array
  /** Occupancy only: the per-bucket counts, by bucket index. */
  bucketTotals(): Map<number, Float32Array>
  dispose(): void
}

export function sumBuckets(buckets: Map<number, Float32Array>, size: number): Float64Array {
  const total = new Float64Array(size)
  for (const counts of buckets.values()) for (let i = 0; i < size; i++) total[i] += counts[i]
  return total
}
