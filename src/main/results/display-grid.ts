// Shrinks an analysis heatmap to something a renderer can draw quickly: a native 1080p grid is
// two million cells, a plot needs a few tens of thousands. Cells are averaged, not sampled, so a
// narrow hot spot is not lost between samples.
import type { DisplayGrid } from '../../shared/api'
import type { Float32Grid } from '../formats/npy'

/** Display grids are at most this many cells wide. */
export const MAX_DISPLAY_WIDTH = 320

export function reduceGrid(grid: Float32Grid, maxWidth = MAX_DISPLAY_WIDTH): DisplayGrid {
  const cell = Math.max(1, Math.ceil(grid.width / maxWidth))
  const width = Math.ceil(grid.width / cell)
  const height = Math.ceil(grid.height / cell)
  const out = new Float32Array(width * height)
  for (let cy = 0; cy < height; cy++) {
    for (let cx = 0; cx < width; cx++) {
      let sum = 0
      let count = 0
      // Edge cells may be partial when the size is not a multiple of the cell.
      const yEnd = Math.min(grid.height, (cy + 1) * cell)
      const xEnd = Math.min(grid.width, (cx + 1) * cell)
      for (let y = cy * cell; y < yEnd; y++) {
        const row = y * grid.width
        for (let x = cx * cell; x < xEnd; x++) {
          const v = grid.data[row + x]
          // Non-finite values (masked pixels) stay out of the mean instead of poisoning it.
          if (Number.isFinite(v)) {
            sum += v
            count++
          }
        }
      }
      out[cy * width + cx] = count > 0 ? sum / count : Number.NaN
    }
  }
  return {
    width,
    height,
    cell,
    valuesBase64: Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('base64')
  }
}
