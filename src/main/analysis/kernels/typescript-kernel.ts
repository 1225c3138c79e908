// The kernel in plain TypeScript: used when the native OpenCV addon cannot load, and as the
// reference the native kernel is tested against.
import { BoxBlur } from './box-blur'
import { expandLimitedLuma } from '../../media/luma-range'
import { sumBuckets, type FrameKind, type Kernel, type KernelConfig } from './kernel'
import { BinaryClosing, resolveClosing } from './morphology'

export class TypeScriptKernel implements Kernel {
  readonly name = 'typescript'
  private readonly blur: BoxBlur
  private readonly reference: Uint8Array
  private readonly blurred: Uint8Array
  private readonly sums: Float64Array
  private readonly buckets = new Map<number, Float32Array>()
  private readonly usable: number
  private readonly closing: BinaryClosing | null
  /** Limited-range frames expanded to grey, made when the first one comes. */
  private expanded: Uint8Array | null = null

  constructor(private readonly config: KernelConfig) {
    const n = config.width * config.height
    this.blur = new BoxBlur(config.width, config.height, config.blur)
    const closing = config.method === 'occupancy' ? resolveClosing(config.closing, config.width) : null
    this.closing = closing ? new BinaryClosing(config.width, config.height, closing) : null
    this.reference = new Uint8Array(n)
    this.blurred = new Uint8Array(n)
    this.sums = new Float64Array(n)
    this.usable = config.mask ? n - config.mask.reduce((a, b) => a + b, 0) : n
  }

  setReference(gray: Uint8Array): void {
    this.blur.apply(gray, this.reference)
  }

  add(gray: Uint8Array, bucket: number, kind: FrameKind = this.config.frames ?? 'gray'): boolean {
    const { reference: ref, blurred: cur, sums, config } = this
    const frame = kind === 'limited-luma' ? expandLimitedLuma(gray, (this.expanded ??= new Uint8Array(gray.length))) : gray
    this.blur.apply(frame, cur)
    const n = cur.length
    const mask = config.mask
    if (config.method === 'seed') {
      for (let i = 0; i < n; i++) sums[i] += Math.abs(cur[i] - ref[i])
      if (mask) for (let i = 0; i < n; i++) if (mask[i]) sums[i] = 0
      return true
    }
    const t = config.threshold
    let changed = 0
    // The blurred frame buffer is reused as the 0/1 occupancy mask of this frame.
    for (let i = 0; i < n; i++) {
      const hit = Math.abs(cur[i] - ref[i]) > t && !(mask && mask[i]) ? 1 : 0
      cur[i] = hit
      changed += hit
    }
    if (this.usable === 0 || changed / this.usable > config.maxChangedShare) return false
    if (this.closing) {
      // Closing may reach into painted-out pixels; they stay out of the counts.
      this.closing.apply(cur)
      if (mask) for (let i = 0; i < n; i++) if (mask[i]) cur[i] = 0
    }
    let counts = this.buckets.get(bucket)
    if (!counts) this.buckets.set(bucket, (counts = new Float32Array(n)))
    for (let i = 0; i < n; i++) counts[i] += cur[i]
    return true
  }

  totals(): Float64Array {
    if (this.config.method === 'seed') return this.sums
    return sumBuckets(this.buckets, this.sums.length)
  }

  bucketTotals(): Map<number, Float32Array> {
    return this.buckets
  }

  addTo(seed: Float64Array, bucket: (b: number) => Float32Array): void {
    if (this.config.method === 'seed') {
      for (let i = 0; i < seed.length; i++) seed[i] += this.sums[i]
      return
    }
    for (const [b, counts] of this.buckets) {
      const into = bucket(b)
      for (let i = 0; i < into.length; i++) into[i] += counts[i]
    }
  }

  dispose(): void {}
}
