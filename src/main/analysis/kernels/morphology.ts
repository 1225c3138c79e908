// Binary morphological closing of a frame's occupancy mask with an upright rectangle, giving
// exactly what OpenCV's morphologyEx(MORPH_CLOSE) gives with a MORPH_RECT element and the default
// border (pixels outside the picture neither grow nor shrink anything).
//
// Why: a person whose clothes match the floor or wall in grey, or who stands still long enough to
// leak into the automatic background, shows up as a torn outline rather than a solid shape. Closing
// with a rectangle about a person's half width and a third of a person's height joins head, torso
// and legs and fills the holes, so the map counts the place the person takes up. It never removes
// a detected pixel (closing only adds), and an isolated speck stays a speck. As in OpenCV, a shape
// closer to the picture's edge than the rectangle reaches is run out to the edge.

/** Half sizes of the rectangle: it spans (2 * rx + 1) x (2 * ry + 1) pixels. */
export interface Closing {
  rx: number
  ry: number
}

/** Half sizes at a 640-pixel-wide picture: a 19 x 43 rectangle, taller than wide as people are. */
const CLOSING_AT_640: Closing = { rx: 9, ry: 21 }

/** The closing for an analysis grid of this width: scaled with it, as the blur is. */
export function defaultClosing(width: number): Closing {
  const scale = width / 640
  return { rx: Math.round(CLOSING_AT_640.rx * scale), ry: Math.round(CLOSING_AT_640.ry * scale) }
}

/**
 * Closing of 0/1 masks of one size, in place, with buffers allocated once. Each pass works with
 * running counts of ones in the window, so the cost per pixel does not grow with the rectangle;
 * rows without a single one (most of a frame) are skipped.
 */
export class BinaryClosing {
  private readonly a: Uint8Array
  private readonly b: Uint8Array
  /** Per column: how many ones the vertical window holds. */
  private readonly columnCounts: Int32Array
  /** Per x: how many pixels the horizontal window holds once clipped at the picture's edge. */
  private readonly rowSpans: Int32Array
  /** Per row of the last pass's output: 1 if it holds a one. */
  private readonly rowHasOne: Uint8Array

  constructor(readonly width: number, readonly height: number, readonly closing: Closing) {
    if (!(Number.isInteger(closing.rx) && Number.isInteger(closing.ry) && closing.rx >= 0 && closing.ry >= 0)) {
      throw new Error('closing half sizes must be whole numbers >= 0')
    }
    this.a = new Uint8Array(width * height)
    this.b = new Uint8Array(width * height)
    this.columnCounts = new Int32Array(width)
    const r = closing.rx
    this.rowSpans = Int32Array.from({ length: width }, (_, x) => Math.min(width - 1, x + r) - Math.max(0, x - r) + 1)
    this.rowHasOne = new Uint8Array(height)
  }

  /** Closes `mask` (values 0 or 1) in place. */
  apply(mask: Uint8Array): void {
    const { a, b } = this
    if (this.closing.rx === 0 && this.closing.ry === 0) return
    // A rectangle is a row segment times a column segment: dilate, then erode, one axis at a time.
    this.alongRows(mask, a, false)
    this.alongColumns(a, b, false)
    this.alongRows(b, a, true)
    this.alongColumns(a, mask, true)
  }

  /**
   * Dilation (erode = false) or erosion (erode = true) by a row segment. The window is clipped at
   * the picture's edge, which is what OpenCV's default border means. Notes which output rows hold
   * a one, for the column pass.
   */
  private alongRows(src: Uint8Array, dst: Uint8Array, erode: boolean): void {
    const { width: w, height: h, rowSpans, rowHasOne } = this
    const r = Math.min(this.closing.rx, w - 1)
    for (let y = 0; y < h; y++) {
      const base = y * w
      const end = base + w
      // An empty row stays empty either way; a full one stays full.
      const row = src.subarray(base, end)
      if (row.indexOf(1) === -1) {
        dst.fill(0, base, end)
        rowHasOne[y] = 0
        continue
      }
      rowHasOne[y] = 1
      if (erode) {
        if (row.indexOf(0) === -1) {
          dst.fill(1, base, end)
          continue
        }
      }
      // count = ones in [x - r, x + r], clipped; three stretches keep the edge tests out of the loop.
      let count = 0
      for (let i = base; i < base + r; i++) count += src[i]
      let x = 0
      const leftEnd = Math.min(r + 1, w)
      const rightStart = Math.max(leftEnd, w - r)
      let any = 0
      if (erode) {
        for (; x < leftEnd; x++) {
          if (x + r < w) count += src[base + x + r]
          const v = count === rowSpans[x] ? 1 : 0
          dst[base + x] = v
          any |= v
        }
        for (; x < rightStart; x++) {
          count += src[base + x + r] - src[base + x - r - 1]
          const v = count === rowSpans[x] ? 1 : 0
          dst[base + x] = v
          any |= v
        }
        for (; x < w; x++) {
          count -= src[base + x - r - 1]
          const v = count === rowSpans[x] ? 1 : 0
          dst[base + x] = v
          any |= v
        }
      } else {
        for (; x < leftEnd; x++) {
          if (x + r < w) count += src[base + x + r]
          dst[base + x] = count > 0 ? 1 : 0
        }
        for (; x < rightStart; x++) {
          count += src[base + x + r] - src[base + x - r - 1]
          dst[base + x] = count > 0 ? 1 : 0
        }
        for (; x < w; x++) {
          count -= src[base + x - r - 1]
          dst[base + x] = count > 0 ? 1 : 0
        }
        any = 1
      }
      rowHasOne[y] = any
    }
  }

  /** The same along columns, a whole row at a time so that memory is read in order. */
  private alongColumns(src: Uint8Array, dst: Uint8Array, erode: boolean): void {
    const { width: w, height: h, columnCounts: counts, rowHasOne } = this
    const r = this.closing.ry
    counts.fill(0)
    /** How many rows in the window hold a one: none means the output row is all zeros. */
    let busyRows = 0
    for (let y = 0; y <= Math.min(r, h - 1); y++) {
      if (!rowHasOne[y]) continue
      busyRows++
      const row = y * w
      for (let x = 0; x < w; x++) counts[x] += src[row + x]
    }
    for (let y = 0; y < h; y++) {
      const out = y * w
      if (busyRows === 0) {
        dst.fill(0, out, out + w)
      } else if (erode) {
        const span = Math.min(h - 1, y + r) - Math.max(0, y - r) + 1
        for (let x = 0; x < w; x++) dst[out + x] = counts[x] === span ? 1 : 0
      } else {
        for (let x = 0; x < w; x++) dst[out + x] = counts[x] > 0 ? 1 : 0
      }
      // Slide the window down one row: the row below enters, the top row leaves.
      const enter = y + r + 1
      const leave = y - r
      const adds = enter < h && rowHasOne[enter] === 1
      const subs = leave >= 0 && rowHasOne[leave] === 1
      const add = enter * w
      const sub = leave * w
      if (adds && subs) {
        for (let x = 0; x < w; x++) counts[x] += src[add + x] - src[sub + x]
      } else if (adds) {
        for (let x = 0; x < w; x++) counts[x] += src[add + x]
      } else if (subs) {
        for (let x = 0; x < w; x++) counts[x] -= src[sub + x]
      }
      if (adds) busyRows++
      if (subs) busyRows--
    }
  }
}

/** The closing a kernel applies: the configured one, else the default for the width; null for none. */
export function resolveClosing(closing: Closing | null | undefined, width: number): Closing | null {
  const c = closing === undefined ? defaultClosing(width) : closing
  return c && (c.rx > 0 || c.ry > 0) ? c : null
}
