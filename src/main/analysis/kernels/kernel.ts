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
  /** What add() receives unless told otherwise (default: grey). */
  frames?: FrameKind
}

/**
 * Full-range grey, or limited-range luma as stored in the video (16-235), which the kernel
 * expands with the table of media/luma-range.ts (see storedLuma).
 */
export type FrameKind = 'gray' | 'limited-luma'

export type KernelName = 'opencv' | 'typescript'

export interface Kernel {
  readonly name: KernelName
  setReference(gray: Uint8Array): void
  /**
   * Adds one frame to time bucket `bucket` (occupancy keeps one sum per bucket, e.g. per hour;
   * seed keeps one sum). Returns false when the frame was skipped as a whole-picture change.
   * `kind`: what this frame is, when not what the config says (a frame expanded already).
   */
  add(gray: Uint8Array, bucket: number, kind?: FrameKind): boolean
  /**
   * add() with the work off the main thread, where the kernel can do that (OpenCV's thread-pool
   * calls). The frame is copied before it returns, so the caller may refill its buffer; one
   * frame at a time per kernel.
   */
  addAsync?(gray: Uint8Array, bucket: number, kind?: FrameKind): Promise<boolean>
  /** Seed: summed absolute differences. Occupancy: number of frames each pixel was occupied. */
  totals(): Float64Array
  /** Occupancy only: the per-bucket counts, by bucket index. */
  bucketTotals(): Map<number, Float32Array>
  /**
   * Adds the sums into the day's: seed's into `seed`, occupancy's counts into `bucket(b)` for
   * each bucket b. What merging a finished task does (the native kernel adds in place, without
   * copying its sums out first: 16 MB of them at 1080p).
   */
  addTo(seed: Float64Array, bucket: (b: number) => Float32Array): void
  dispose(): void
}

export function sumBuckets(buckets: Map<number, Float32Array>, size: number): Float64Array {
  const total = new Float64Array(size)
  for (const counts of buckets.values()) for (let i = 0; i < size; i++) total[i] += counts[i]
  return total
}
