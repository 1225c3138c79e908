// The ghost search's change regions (../change-regions.ts) found by OpenCV: absdiff, threshold and
// connectedComponentsWithStats. The search runs while the decoder waits for the empty scene, and
// this part of it took ~1.5-2 ms a 640x360 frame in TypeScript warm (more cold) against ~0.3 ms.
import type * as OpenCV from '@u4/opencv4nodejs'
import type { ChangeFinder, ChangeRegions, GhostToolsMaker, RegionBox } from '../change-regions'
import { OpenCVBlur } from './opencv-blur'

type CV = typeof OpenCV

/** OpenCV's stats columns (cv::ConnectedComponentsTypes). */
const LEFT = 0
const TOP = 1
const WIDTH = 2
const HEIGHT = 3
const AREA = 4

export class OpenCVChangeFinder implements ChangeFinder {
  private readonly labels: Int32Array

  constructor(private readonly cv: CV, readonly width: number, readonly height: number) {
    this.labels = new Int32Array(width * height)
  }

  find(frame: Uint8Array, background: Uint8Array, threshold: number, limit: number): ChangeRegions {
    const { cv, width, height } = this
    // Matrices over the arrays' own memory, released before this returns (see OpenCVBlur).
    const over = (a: Uint8Array, type: number): OpenCV.Mat => new cv.Mat(height, width, type, Buffer.from(a.buffer, a.byteOffset, a.byteLength))
    const held: OpenCV.Mat[] = []
    const hold = (m: OpenCV.Mat): OpenCV.Mat => (held.push(m), m)
    try {
      const diff = hold(hold(over(frame, cv.CV_8UC1)).absdiff(hold(over(background, cv.CV_8UC1))))
      const mask = hold(diff.threshold(threshold, 1, cv.THRESH_BINARY))
      const changed = mask.countNonZero()
      if (changed === 0 || changed > limit) return { changed, labels: this.labels, boxes: [] }
      const found = mask.connectedComponentsWithStats(8, cv.CV_32S)
      hold(found.labels)
      hold(found.centroids)
      const stats = hold(found.stats).getDataAsArray()
      // Same size and type: copyTo writes into our labels' memory.
      found.labels.copyTo(hold(over(new Uint8Array(this.labels.buffer), cv.CV_32SC1)))
      const boxes: RegionBox[] = []
      // Row 0 is the unchanged background.
      for (let k = 1; k < stats.length; k++) {
        const s = stats[k]
        boxes.push({ area: s[AREA], x0: s[LEFT], y0: s[TOP], x1: s[LEFT] + s[WIDTH] - 1, y1: s[TOP] + s[HEIGHT] - 1 })
      }
      return { changed, labels: this.labels, boxes }
    } finally {
      for (const m of held) m.release()
    }
  }
}

/** The ghost search's blur and change finder in OpenCV (the same results as typeScriptGhostTools). */
export function openCVGhostTools(cv: CV): GhostToolsMaker {
  return (width, height, blurSize) => ({
    blur: new OpenCVBlur(cv, width, height, blurSize),
    changes: new OpenCVChangeFinder(cv, width, height)
  })
}
