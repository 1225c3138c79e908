// What every accumulation kernel does, native or not. One kernel instance serves one analysis.
import type { Method } from '../../../shared/settings'

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
}

export type KernelName = 'opencv' | 'typescript'

export interface Kernel {
  readonly name: KernelName
  setReference(gray: Uint8Array): void
  /** Adds one frame. Returns false when the frame was skipped as a whole-picture change. */
  add(gray: Uint8Array): boolean
  /** Seed: summed absolute differences. Occupancy: number of frames each pixel was occupied. */
  totals(): Float64Array
  dispose(): void
}
