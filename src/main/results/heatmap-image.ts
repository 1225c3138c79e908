// heatmap.png: the heatmap laid over the reference picture, so a place can be recognised.
import { TURBO } from './colormap'

/**
 * Blends the colour map over the grey reference. Values are scaled to the map's maximum; the
 * colour's opacity grows with the value so that empty places keep showing the picture.
 */
export function renderHeatmapOverlay(values: Float32Array, reference: Uint8Array, max: number): Uint8Array {
  const rgb = new Uint8Array(values.length * 3)
  const scale = max > 0 ? 1 / max : 0
  for (let i = 0; i < values.length; i++) {
    const t = Math.min(1, values[i] * scale)
    const c = Math.round(t * 255) * 3
    const alpha = t <= 0.02 ? 0 : 0.35 + 0.5 * t
    const g = reference[i] * 0.8
    rgb[i * 3] = g + (TURBO[c] - g) * alpha
    rgb[i * 3 + 1] = g + (TURBO[c + 1] - g) * alpha
    rgb[i * 3 + 2] = g + (TURBO[c + 2] - g) * alpha
  }
  return rgb
}
