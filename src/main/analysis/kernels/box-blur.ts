// A box blur on 8-bit grey images that gives OpenCV's cv::blur results exactly:
// BORDER_REFLECT_101 edges and rounding to nearest (an odd area never divides to exactly .5).

function reflect101(i: number, n: number): number {
  if (n === 1) return 0
  while (i < 0 || i >= n) i = i < 0 ? -i : 2 * n - 2 - i
  return i
}

/** A box blur of 8-bit grey images with cv::blur's results (see ghostToolsMaker in choose-kernel.ts). */
export interface GrayBlur {
  apply(src: Uint8Array, dst: Uint8Array): void
}

export class BoxBlur implements GrayBlur {
  private readonly rows: Uint32Array
  private readonly colIndex: Int32Array
  private readonly rowIndex: Int32Array
  private readonly lut: Uint8Array

  constructor(readonly width: number, readonly height: number, readonly size: number) {
    if (size % 2 !== 1) throw new Error('blur size must be odd')
    const r = size >> 1
    this.rows = new Uint32Array(width * height)
    // Precomputed edge indices keep the inner loops free of branches.
    this.colIndex = Int32Array.from({ length: width + 2 * r }, (_, i) => reflect101(i - r, width))
    this.rowIndex = Int32Array.from({ length: height + 2 * r }, (_, i) => reflect101(i - r, height))
    const area = size * size
    // Sum -> mean lookup table: one array read per pixel instead of a division.
    this.lut = Uint8Array.from({ length: area * 255 + 1 }, (_, s) => Math.round(s / area))
  }

  apply(src: Uint8Array, dst: Uint8Array): void {
    const { width: w, height: h, size: k, rows, colIndex, rowIndex, lut } = this
    if (k === 1) {
      dst.set(src.subarray(0, w * h))
      return
    }
    // Horizontal running sums.
    for (let y = 0; y < h; y++) {
      const base = y * w
      let sum = 0
      for (let i = 0; i < k; i++) sum += src[base + colIndex[i]]
      rows[base] = sum
      for (let x = 1; x < w; x++) {
        sum += src[base + colIndex[x + k - 1]] - src[base + colIndex[x - 1]]
        rows[base + x] = sum
      }
    }
    // Vertical running sums, one column strip per row to stay cache-friendly.
    const col = new Uint32Array(w)
    for (let i = 0; i < k; i++) {
      const base = rowIndex[i] * w
      for (let x = 0; x < w; x++) col[x] += rows[base + x]
    }
    for (let y = 0; y < h; y++) {
      const out = y * w
      for (let x = 0; x < w; x++) dst[out + x] = lut[col[x]]
      if (y + 1 < h) {
        const add = rowIndex[y + k] * w
        const sub = rowIndex[y] * w
        for (let x = 0; x < w; x++) col[x] += rows[add + x] - rows[sub + x]
      }
    }
  }
}
