// The native kernel: OpenCV does the blur, difference and threshold in C++. Buffers for the frame
// and the running totals are allocated once and reused; temporaries are released at once so
// native memory stays flat over a day of footage.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { unpackedPath } from '../../runtime/unpacked-path'
import type * as OpenCV from '@u4/opencv4nodejs'
import { LIMITED_LUMA } from '../../media/luma-range'
import { sumBuckets, type FrameKind, type Kernel, type KernelConfig } from './kernel'
import { resolveClosing } from './morphology'
import { cvCall, runAsync, runSync, type CvCall, type CvSteps } from './opencv-calls'

type CV = typeof OpenCV
type Mat = OpenCV.Mat

let loaded: { cv: CV } | { error: string } | null = null

/** Frames of differences (at most 255 each) a float32 sum holds exactly: 2^24 / 255. */
export const FLOAT32_EXACT_FRAMES = Math.floor(2 ** 24 / 255)

/** Loads the addon once; remembers why it failed so the fallback can say so. */
export function loadOpenCV(): { cv: CV } | { error: string } {
  if (loaded) return loaded
  try {
    // The binary itself, not the package's loader: the loader sets up (and logs) an OpenCV
    // build environment on every start, which a worker whose stdout is the user's does not want.
    const require = createRequire(import.meta.url)
    const packageMain = require.resolve('@u4/opencv4nodejs')
    const binary = join(dirname(packageMain), '..', '..', 'build', 'Release', 'opencv4nodejs.node')
    loaded = { cv: require(unpackedPath(binary)) as CV }
  } catch (err) {
    loaded = { error: err instanceof Error ? err.message.split('\n')[0] : String(err) }
  }
  return loaded
}

/**
 * getData copies a Mat out into a buffer of its own: its floats are used where they lie when
 * aligned (as they come), else copied once more.
 */
function ownFloats(data: Buffer, bytesPerElement: number): { buffer: ArrayBufferLike; offset: number; length: number } {
  const length = data.byteLength / bytesPerElement
  if (data.byteOffset % bytesPerElement === 0) return { buffer: data.buffer, offset: data.byteOffset, length }
  return { buffer: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength), offset: 0, length }
}

export class OpenCVKernel implements Kernel {
  readonly name = 'opencv'
  private readonly frame: Mat
  /** Seed: the float64 total, made at the first flush of the partial sum. */
  private totalsMat: Mat | null = null
  /**
   * Seed: the running sum in float32, which is exact for whole numbers up to 2^24 and takes a
   * third of the time of adding into float64 at 1080p (0.16 vs 0.49 ms); it is moved into the
   * float64 total before it could round. Null for occupancy, which counts per bucket.
   */
  private readonly partialSums: Mat | null
  private framesInPartial = 0
  private readonly buckets = new Map<number, Mat>()
  private readonly keep: Mat | null
  private readonly usable: number
  private readonly size: OpenCV.Size
  /** Occupancy: the rectangle each frame's mask is closed with, or null for no closing. */
  private readonly element: Mat | null
  private reference: Mat | null = null

  constructor(
    private readonly cv: CV,
    private readonly config: KernelConfig,
    /** Frames after which the float32 seed sum is moved into the float64 total (tests lower it). */
    private readonly partialFrames = FLOAT32_EXACT_FRAMES
  ) {
    const { width, height } = config
    this.frame = new cv.Mat(height, width, cv.CV_8UC1)
    this.partialSums = config.method === 'seed' ? this.zeros(cv.CV_32FC1) : null
    this.size = new cv.Size(config.blur, config.blur)
    const closing = config.method === 'occupancy' ? resolveClosing(config.closing, config.width) : null
    this.element = closing ? cv.getStructuringElement(cv.MORPH_RECT, new cv.Size(2 * closing.rx + 1, 2 * closing.ry + 1)) : null
    if (config.mask) {
      // OpenCV masks mark pixels to use; ours mark pixels to ignore.
      const keep = Buffer.from(config.mask.map((m) => (m ? 0 : 1)))
      this.keep = new cv.Mat(keep, height, width, cv.CV_8UC1)
      this.usable = this.keep.countNonZero()
    } else {
      this.keep = null
      this.usable = width * height
    }
  }

  /**
   * A frame-sized matrix of zeros. Not `new Mat(h, w, type, 0)`: the addon fills that value in
   * element by element (measured: 40 ms for a 1080p byte matrix, 185 ms for float64, against
   * under 1 ms for OpenCV's own setTo once the memory is mapped).
   */
  private zeros(type: number): Mat {
    const mat = new this.cv.Mat(this.config.height, this.config.width, type)
    mat.setTo(0)
    return mat
  }

  /** Blurred full-range grey of the frame in this.frame (copied in by the caller). */
  private *blurSteps(stored: FrameKind): CvSteps<Mat> {
    const anchor = new this.cv.Point2(-1, -1)
    const full = stored === 'gray' ? null : ((yield cvCall(this.frame, 'convertTo', this.cv.CV_8U, LIMITED_LUMA.alpha, LIMITED_LUMA.beta)) as Mat)
    try {
      return (yield cvCall(full ?? this.frame, 'blur', this.size, anchor, this.cv.BORDER_REFLECT_101)) as Mat
    } finally {
      full?.release()
    }
  }

  private load(gray: Uint8Array): void {
    this.frame.setData(Buffer.from(gray.buffer, gray.byteOffset, gray.byteLength))
  }

  setReference(gray: Uint8Array): void {
    this.load(gray)
    const blurred = runSync(this.blurSteps('gray'))
    this.reference?.release()
    this.reference = blurred
  }

  add(gray: Uint8Array, bucket: number, kind?: FrameKind): boolean {
    return runSync(this.frameSteps(gray, bucket, kind))
  }

  /** add() with the OpenCV work on the thread pool; one frame at a time per kernel. */
  addAsync(gray: Uint8Array, bucket: number, kind?: FrameKind): Promise<boolean> {
    return runAsync(this.frameSteps(gray, bucket, kind))
  }

  private *frameSteps(gray: Uint8Array, bucket: number, kind = this.config.frames ?? 'gray'): CvSteps<boolean> {
    const reference = this.reference
    if (!reference) throw new Error('reference frame not set')
    this.load(gray)
    const blurred = yield* this.blurSteps(kind)
    // absdiff and bitwiseAnd have no thread-pool variant; each is ~0.1 ms at 1080p.
    const diff = blurred.absdiff(reference)
    blurred.release()
    try {
      if (this.partialSums) {
        yield this.accumulate(diff, this.partialSums)
        if (++this.framesInPartial >= this.partialFrames) this.flushPartial(this.partialSums)
        return true
      }
      const raw = (yield cvCall(diff, 'threshold', this.config.threshold, 1, this.cv.THRESH_BINARY)) as Mat
      // Painted-out pixels are not occupied, neither for the skip test nor for the closing.
      const hits = this.keep ? raw.bitwiseAnd(this.keep) : raw
      if (hits !== raw) raw.release()
      try {
        const changed = (yield cvCall(hits, 'countNonZero')) as number
        if (this.usable === 0 || changed / this.usable > this.config.maxChangedShare) return false
        let counts = this.buckets.get(bucket)
        if (!counts) this.buckets.set(bucket, (counts = this.zeros(this.cv.CV_32FC1)))
        if (this.element) {
          const closed = (yield cvCall(hits, 'morphologyEx', this.element, this.cv.MORPH_CLOSE)) as Mat
          try {
            yield this.accumulate(closed, counts)
          } finally {
            closed.release()
          }
        } else {
          yield this.accumulate(hits, counts)
        }
        return true
      } finally {
        hits.release()
      }
    } finally {
      diff.release()
    }
  }

  /** In place: accumulators are never reallocated. */
  private accumulate(src: Mat, into: Mat): CvCall {
    return this.keep ? cvCall(this.cv, 'accumulate', src, into, this.keep) : cvCall(this.cv, 'accumulate', src, into)
  }

  private flushPartial(partial: Mat): Mat {
    this.totalsMat ??= this.zeros(this.cv.CV_64FC1)
    this.cv.accumulate(partial, this.totalsMat)
    partial.setTo(0)
    this.framesInPartial = 0
    return this.totalsMat
  }

  totals(): Float64Array {
    const size = this.config.width * this.config.height
    if (!this.partialSums) return sumBuckets(this.bucketTotals(), size)
    const totals = this.framesInPartial > 0 || !this.totalsMat ? this.flushPartial(this.partialSums) : this.totalsMat
    const { buffer, offset, length } = ownFloats(totals.getData(), Float64Array.BYTES_PER_ELEMENT)
    return new Float64Array(buffer, offset, length)
  }

  bucketTotals(): Map<number, Float32Array> {
    const out = new Map<number, Float32Array>()
    for (const [bucket, mat] of this.buckets) {
      const { buffer, offset, length } = ownFloats(mat.getData(), Float32Array.BYTES_PER_ELEMENT)
      out.set(bucket, new Float32Array(buffer, offset, length))
    }
    return out
  }

  addTo(seed: Float64Array, bucket: (b: number) => Float32Array): void {
    if (this.partialSums) {
      // Whole numbers far below 2^53: adding the two parts one after the other is exact.
      this.addInPlace(this.totalsMat, seed, this.cv.CV_64FC1)
      if (this.framesInPartial > 0) this.addInPlace(this.partialSums, seed, this.cv.CV_64FC1)
      return
    }
    for (const [b, mat] of this.buckets) this.addInPlace(mat, bucket(b), this.cv.CV_32FC1)
  }

  /** `into` += `sums`, through a matrix over `into`'s own memory, released at once. */
  private addInPlace(sums: Mat | null, into: Float64Array | Float32Array, type: number): void {
    if (!sums) return
    if (into.length !== this.config.width * this.config.height) throw new Error('sums of another size')
    const target = new this.cv.Mat(this.config.height, this.config.width, type, Buffer.from(into.buffer, into.byteOffset, into.byteLength))
    try {
      this.cv.accumulate(sums, target)
    } finally {
      target.release()
    }
  }

  dispose(): void {
    this.reference?.release()
    this.frame.release()
    this.totalsMat?.release()
    this.partialSums?.release()
    for (const mat of this.buckets.values()) mat.release()
    this.keep?.release()
    this.element?.release()
  }
}
