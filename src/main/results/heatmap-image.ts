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
    if (Number.isNaN(values[i])) {
      setHidden(rgb, i, reference[i])
      continue
    }
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

/** Difference maps: blue where people spent less time, red where more, the picture where equal. */
export function renderDifferenceOverlay(diff: Float32Array, reference: Uint8Array, limit: number): Uint8Array {
  const rgb = new Uint8Array(diff.length * 3)
  const scale = limit > 0 ? 1 / limit : 0
  for (let i = 0; i < diff.length; i++) {
    if (Number.isNaN(diff[i])) {
      setHidden(rgb, i, reference[i])
      continue
    }
    const t = Math.max(-1, Math.min(1, diff[i] * scale))
    const alpha = Math.abs(t) < 0.03 ? 0 : 0.3 + 0.6 * Math.abs(t)
    const [r, g, b] = t > 0 ? [178, 24, 43] : [33, 102, 172]
    const grey = reference[i] * 0.8
    rgb[i * 3] = grey + (r - grey) * alpha
    rgb[i * 3 + 1] = grey + (g - grey) * alpha
    rgb[i * 3 + 2] = grey + (b - grey) * alpha
  }
  return rgb
}

/** Places the mask hid (NaN: not measured) show the picture darkened, without colour. */
function setHidden(rgb: Uint8Array, i: number, grey: number): void {
  rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = grey * 0.4
}
