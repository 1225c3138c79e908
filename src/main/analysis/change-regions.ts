// Where a blurred frame differs from the blurred empty scene, as 8-connected regions: the first
// step of the ghost search (background.ts) for each of its frames. Two finders give the same
// regions (tested): this TypeScript one, and OpenCV's (kernels/opencv-change-regions.ts), which
// the search uses wherever the addon loads.
import { BoxBlur, type GrayBlur } from './kernels/box-blur'

/** A region's area and bounding box (inclusive). */
export interface RegionBox {
  area: number
  x0: number
  y0: number
  x1: number
  y1: number
}

export interface ChangeRegions {
  /** Pixels where |frame - background| is above the threshold. */
  changed: number
  /** Each pixel's region, 1..boxes.length, 0 where nothing changed. The finder's own buffer:
   *  valid until its next find, and only when boxes were looked for. */
  labels: Int32Array
  /** Region k's area and box at k - 1, in no particular order; empty when nothing changed or
   *  more than the limit did (nothing is labelled then). */
  boxes: RegionBox[]
}

export interface ChangeFinder {
  /** The regions where |frame - background| > threshold; none when more than `limit` pixels changed. */
  find(frame: Uint8Array, background: Uint8Array, threshold: number, limit: number): ChangeRegions
}

/** The blur and the change finder of the ghost search, for pictures of one size. */
export interface GhostTools {
  blur: GrayBlur
  changes: ChangeFinder
}

export type GhostToolsMaker = (width: number, height: number, blurSize: number) => GhostTools

export const typeScriptGhostTools: GhostToolsMaker = (width, height, blurSize) => ({
  blur: new BoxBlur(width, height, blurSize),
  changes: new TypeScriptChangeFinder(width, height)
})

export class TypeScriptChangeFinder implements ChangeFinder {
  private readonly changed: Uint8Array
  private readonly labels: Int32Array
  private readonly stack: Int32Array

  constructor(readonly width: number, readonly height: number) {
    this.changed = new Uint8Array(width * height)
    this.labels = new Int32Array(width * height)
    this.stack = new Int32Array(width * height)
  }

  find(frame: Uint8Array, background: Uint8Array, threshold: number, limit: number): ChangeRegions {
    const changed = markChanges(frame, background, threshold, this.changed)
    if (changed === 0 || changed > limit) return { changed, labels: this.labels, boxes: [] }
    return { changed, labels: this.labels, boxes: labelRegions(this.changed, this.width, this.height, this.labels, this.stack) }
  }
}

/**
 * Sets `changed` to 1 where the two pictures differ by more than `threshold`; returns how many.
 * A function of its own so that V8 optimises it after a few frames: inline in the frame loop it
 * ran unoptimised for most of the 31 frames (~100 ms of the ~200 ms ghost search, cold, 640 px).
 */
function markChanges(a: Uint8Array, b: Uint8Array, threshold: number, changed: Uint8Array): number {
  let count = 0
  for (let i = 0; i < changed.length; i++) {
    const c = Math.abs(a[i] - b[i]) > threshold ? 1 : 0
    changed[i] = c
    count += c
  }
  return count
}

/** Labels the 8-connected regions of `changed` (1, 2, ... in `label`) by flood fill. */
function labelRegions(changed: Uint8Array, w: number, h: number, label: Int32Array, stack: Int32Array): RegionBox[] {
  label.fill(0)
  const boxes: RegionBox[] = []
  for (let start = 0; start < changed.length; start++) {
    if (!changed[start] || label[start]) continue
    const id = boxes.length + 1
    const r: RegionBox = { area: 0, x0: w, y0: h, x1: 0, y1: 0 }
    let top = 0
    stack[top++] = start
    label[start] = id
    while (top > 0) {
      const q = stack[--top]
      const x = q % w
      const y = (q - x) / w
      r.area++
      if (x < r.x0) r.x0 = x
      if (x > r.x1) r.x1 = x
      if (y < r.y0) r.y0 = y
      if (y > r.y1) r.y1 = y
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++) {
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) {
          const n = yy * w + xx
          if (changed[n] && !label[n]) {
            label[n] = id
            stack[top++] = n
          }
        }
      }
    }
    boxes.push(r)
  }
  return boxes
}
