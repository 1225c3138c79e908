// Limited-range luma (16-235, as most video stores it) to full-range grey (0-255): one table,
// applied by ffmpeg (the `lut` filter) or by the consumer of stored luma (the kernels, the
// empty scene's copies), so that every route to a grey frame gives the same bytes.

/** v * 255/219 - 16 * 255/219, rounded and clipped: what ffmpeg's scaler gives for grey output. */
export const LIMITED_LUMA = { alpha: 255 / 219, beta: (-16 * 255) / 219 }

export const limitedLumaTable: Uint8Array = Uint8Array.from({ length: 256 }, (_, v) =>
  Math.min(255, Math.max(0, Math.round(v * LIMITED_LUMA.alpha + LIMITED_LUMA.beta)))
)

/**
 * The same table as an ffmpeg filter for grey frames. No value lies half-way between two grey
 * levels ((v - 16) * 85/73 is never k + 1/2), so ffmpeg's rounding and Math.round agree (tested).
 */
export const LIMITED_LUMA_FILTER = 'lut=c0=clip(round((val-16)*255/219)\\,0\\,255)'

/** A full-range copy of limited-range luma (~0.5 ms a 640x360 frame: for a few frames, not all). */
export function expandedLimitedLuma(luma: Uint8Array): Uint8Array {
  const out = new Uint8Array(luma.length)
  for (let i = 0; i < luma.length; i++) out[i] = limitedLumaTable[luma[i]]
  return out
}
