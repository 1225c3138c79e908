// An empty scene made from the footage itself: the per-pixel median of frames spread over the
// whole day. People move, the shop does not, so the median keeps the shop and drops the people.
// Where people stand most of the day (a busy promotion shelf, one visitor after another), the
// median keeps a person: a ghost. removeGhosts finds those and puts back the empty scene.
import { typeScriptGhostTools, type GhostToolsMaker, type RegionBox } from './change-regions'
import { simdMedian } from './median-simd'

/**
 * The (lower) median of each pixel across frames: with WebAssembly SIMD where it can (up to 32
 * frames: 31 of 640x360 in ~3 ms here), else by counting, O(pixels x frames), ~90 ms for those.
 */
export function medianImage(frames: Uint8Array[], size: number): Uint8Array {
  return finish(medianSteps(frames, size))
}

/** Pixels the counting median takes between pauses (~12 ms of 31 frames). */
const MEDIAN_STEP_PIXELS = 1 << 15

/** medianImage in steps (see inTurns); `simd: false` counts (tests compare the two). */
export function* medianSteps(frames: Uint8Array[], size: number, simd = true): Generator<void, Uint8Array> {
  if (frames.length === 0) throw new Error('no frames to build a background from')
  const out = new Uint8Array(size)
  if (simd && simdMedian(frames, 0, size, out)) return out
  const half = Math.floor((frames.length - 1) / 2)
  const counts = new Uint16Array(256)
  for (let from = 0; from < size; from += MEDIAN_STEP_PIXELS) {
    if (from > 0) yield
    medianOf(frames, from, Math.min(size, from + MEDIAN_STEP_PIXELS), half, counts, out)
  }
  return out
}

function medianOf(frames: Uint8Array[], from: number, to: number, half: number, counts: Uint16Array, out: Uint8Array): void {
  for (let i = from; i < to; i++) {
    counts.fill(0)
    for (const f of frames) counts[f[i]]++
    let seen = 0
    let v = 0
    while (seen + counts[v] <= half) seen += counts[v++]
    out[i] = v
  }
}

/** Runs work written in steps to its end at once. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/**
 * Runs work written in steps, one step per turn of the event loop: a worker that reads a
 * decoder's frames meanwhile keeps reading them (the median and the ghost search take ~0.2 s at
 * 640 pixels; an ffmpeg whose frames nobody reads stops).
 */
export async function inTurns<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/** Times (seconds within each clip) spread evenly across a day made of several clips. */
export function spreadSampleTimes(durations: number[], count: number): Array<{ clip: number; seconds: number }> {
  const total = durations.reduce((a, b) => a + b, 0)
  const times: Array<{ clip: number; seconds: number }> = []
  for (let k = 0; k < count; k++) {
    let t = ((k + 0.5) / count) * total
    let clip = 0
    while (clip < durations.length - 1 && t >= durations[clip]) t -= durations[clip++]
    times.push({ clip, seconds: Math.min(t, Math.max(0, durations[clip] - 0.05)) })
  }
  return times
}

export interface GhostSearch {
  /** Box blur size (odd) applied to frames and background before comparing them. */
  blur: number
  /** A blurred grey-level difference above this is a change. */
  threshold: number
  /** Changed regions smaller than this many pixels are not looked at. */
  minArea: number
  /** Share of a region's outline contrast that must come from the background to call it a ghost. */
  backgroundShare: number
  /** A ghost must have no other change within this many pixels: a person walking in front of
   *  something thin and bright (a window bar) can look like a ghost of it, but the rest of that
   *  person is then a change right next to it. */
  margin: number
  /** A pixel is repaired only where it showed as a ghost in at least this many frames. */
  minViews: number
  /** Frames where more than this share of the picture changed (lights) are left out. */
  maxChangedShare: number
}

/** The search at a grid of this width: sizes given for 640 pixels scale with it. */
export function ghostSearchFor(width: number): GhostSearch {
  const scale = width / 640
  return {
    blur: Math.max(1, Math.round(5 * scale) | 1),
    threshold: 22,
    minArea: Math.max(4, Math.round(100 * scale * scale)),
    backgroundShare: 0.8,
    margin: Math.max(1, Math.round(5 * scale)),
    minViews: 2,
    maxChangedShare: 0.5
  }
}

/**
 * Repairs the ghosts a median background keeps, using the frames it was made from.
 *
 * A frame that differs from the background in some region has either something the background
 * lacks (a person) or lacks something the background has (a ghost: a person the median kept,
 * seen in a frame where the place is empty). The outline of the region tells them apart: the
 * contrast across a person's outline is in the frame; across a ghost's it is in the background,
 * while the frame shows the plain scene there. For every region, the contrast across its outline
 * (the grey-level slope across the outline, in each picture) is split into the frame's part
 * and the background's part. Where the background's part dominates, the region is a ghost in
 * that frame, and the frame shows the empty scene there. Each pixel seen as a ghost in enough
 * frames gets the median of what those frames show; every other pixel keeps the median.
 *
 * The test only ever acts on a region the median got wrong in several frames; it never touches
 * the rest of the picture. Regions next to other changes are left alone (see GhostSearch.margin).
 */
export function removeGhosts(
  frames: Uint8Array[], background: Uint8Array, width: number, height: number, search: GhostSearch = ghostSearchFor(width)
): Uint8Array {
  return finish(ghostRemovalSteps(frames, background, width, height, search))
}

/** removeGhosts in steps, a frame each (see inTurns). `tools`: the blur and change finder, any
 *  with the TypeScript ones' results (OpenCV's where the addon loads: several times faster). */
export function* ghostRemovalSteps(
  frames: Uint8Array[], background: Uint8Array, width: number, height: number, search: GhostSearch = ghostSearchFor(width),
  tools: GhostToolsMaker = typeScriptGhostTools
): Generator<void, Uint8Array> {
  const size = width * height
  const { blur, changes } = tools(width, height, search.blur)
  const bg = new Uint8Array(size)
  blur.apply(background, bg)
  const cur = new Uint8Array(size)
  /** Per frame that shows a ghost: 1 where it does. */
  const views: Array<{ frame: Uint8Array; ghost: Uint8Array }> = []
  /** In how many frames each pixel showed as a ghost. */
  const timesSeen = new Uint16Array(size)

  for (const frame of frames) {
    yield
    blur.apply(frame, cur)
    const { labels, boxes } = changes.find(cur, bg, search.threshold, search.maxChangedShare * size)
    const isGhost = new Uint8Array(boxes.length + 1)
    for (const [k, box] of boxes.entries()) {
      // Small regions are never ghosts (their outline is not looked at), but they are changes.
      if (box.area < search.minArea) continue
      const c = outlineContrast(box, k + 1, labels, cur, bg, width, height)
      const contrast = c.frame + c.background
      isGhost[k + 1] = contrast > 0 && c.background > search.backgroundShare * contrast ? 1 : 0
    }
    let ghost: Uint8Array | null = null
    for (const [k, box] of boxes.entries()) {
      if (!isGhost[k + 1] || !isolated(box, labels, isGhost, width, height, search.margin)) continue
      ghost ??= new Uint8Array(size)
      for (let y = box.y0; y <= box.y1; y++) {
        for (let x = box.x0; x <= box.x1; x++) {
          const i = y * width + x
          if (labels[i] === k + 1) {
            ghost[i] = 1
            timesSeen[i]++
          }
        }
      }
    }
    if (ghost) views.push({ frame, ghost })
  }

  const out = Uint8Array.from(background)
  if (views.length < search.minViews) return out
  const values: number[] = []
  for (let i = 0; i < size; i++) {
    // Most pixels are never a ghost: only those seen as one often enough are looked at.
    if (timesSeen[i] < search.minViews) continue
    values.length = 0
    for (const v of views) if (v.ghost[i]) values.push(v.frame[i])
    values.sort((a, b) => a - b)
    // The lower median, as medianImage takes it.
    out[i] = values[(values.length - 1) >> 1]
  }
  return out
}

/**
 * The contrast across a region's outline (its pixels with a 4-neighbour outside it), split into
 * the frame's part and the background's. At each outline pixel, the difference |frame -
 * background| rises into the region along n; the slope of that rise is the frame's slope along n
 * minus the background's, and each picture's share is its own part. Summed in raster order,
 * so that any labelling of the same regions gives the same sums.
 */
function outlineContrast(
  box: RegionBox, id: number, labels: Int32Array, frame: Uint8Array, bg: Uint8Array, w: number, h: number
): { frame: number; background: number } {
  let frameContrast = 0
  let backgroundContrast = 0
  // Pixels on the picture's edge have no slope on both sides: they are left out.
  for (let y = Math.max(1, box.y0); y <= Math.min(h - 2, box.y1); y++) {
    for (let x = Math.max(1, box.x0); x <= Math.min(w - 2, box.x1); x++) {
      const q = y * w + x
      if (labels[q] !== id) continue
      // A changed 4-neighbour is in the same region (8-connected): inside, not on the outline.
      if (labels[q - 1] !== 0 && labels[q + 1] !== 0 && labels[q - w] !== 0 && labels[q + w] !== 0) continue
      const fx = frame[q + 1] - frame[q - 1]
      const fy = frame[q + w] - frame[q - w]
      const bx = bg[q + 1] - bg[q - 1]
      const by = bg[q + w] - bg[q - w]
      // |D| = s * (frame - bg) near here; its slope s * (f' - b') points into the region.
      const s = frame[q] >= bg[q] ? 1 : -1
      const nx = s * (fx - bx)
      const ny = s * (fy - by)
      // Not Math.hypot: several times slower in V8, and the squares of these small whole numbers
      // are exact.
      const len = Math.sqrt(nx * nx + ny * ny)
      if (len === 0) continue
      frameContrast += (s * (fx * nx + fy * ny)) / len
      backgroundContrast += (-s * (bx * nx + by * ny)) / len
    }
  }
  return { frame: frameContrast, background: backgroundContrast }
}

/** True when no change other than ghosts lies within `margin` pixels of the region's box. */
function isolated(r: RegionBox, labels: Int32Array, isGhost: Uint8Array, w: number, h: number, margin: number): boolean {
  for (let y = Math.max(0, r.y0 - margin); y <= Math.min(h - 1, r.y1 + margin); y++) {
    for (let x = Math.max(0, r.x0 - margin); x <= Math.min(w - 1, r.x1 + margin); x++) {
      const i = y * w + x
      if (labels[i] !== 0 && !isGhost[labels[i]]) return false
    }
  }
  return true
}
