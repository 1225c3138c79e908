// Ground truth for a clip: the share of frames in which each pixel shows a person. Written as a
// float32 .npy of shape (height, width) that numpy and the analysis code both read.
import { writeFile } from 'node:fs/promises'
import { encodeNpy, type Float32Grid } from '../formats/npy'
import { rasterFigure } from './figure-raster'
import type { Figure } from './figures'

export class TruthAccumulator {
  private readonly counts: Uint32Array
  /** Frame number (from 1) in which a pixel was last counted: overlapping people count once. */
  private readonly counted: Uint32Array
  private frames = 0

  constructor(readonly width: number, readonly height: number) {
    this.counts = new Uint32Array(width * height)
    this.counted = new Uint32Array(width * height)
  }

  /** Adds one frame with these people in it. */
  add(figures: readonly Figure[]): void {
    const mark = ++this.frames
    const { counts, counted, width } = this
    for (const figure of figures) {
      rasterFigure(figure, width, this.height, (y, x0, x1) => {
        for (let p = y * width + x0, end = y * width + x1; p < end; p++) {
          if (counted[p] !== mark) {
            counted[p] = mark
            counts[p]++
          }
        }
      })
    }
  }

  toGrid(): Float32Grid {
    const data = new Float32Array(this.counts.length)
    if (this.frames > 0) for (let i = 0; i < data.length; i++) data[i] = this.counts[i] / this.frames
    return { width: this.width, height: this.height, data }
  }
}

export async function writeTruth(path: string, grid: Float32Grid): Promise<void> {
  await writeFile(path, encodeNpy(grid))
}
