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
 * levels ((v - 16) * 85/73 is never k + 1/2), so ffmpeg's rounding and Math.round agree (checked
 * for all 256 codes; the tests compare the two routes on generated and real footage).
 */
export const LIMITED_LUMA_FILTER = 'lut=c0=clip(round((val-16)*255/219)\\,0\\,255)'

/** Limited-range luma expanded to full-range grey in `into` (~0.5 ms a 640x360 frame in
 *  JavaScript: for a few frames or the fallback kernel; the native kernel uses OpenCV). */
export function expandLimitedLuma(luma: Uint8Array, into: Uint8Array): Uint8Array {
  for (let i = 0; i < luma.length; i++) into[i] = limitedLumaTable[luma[i]]
  return into
}

/** A full-range copy of limited-range luma. */
export function expandedLimitedLuma(luma: Uint8Array): Uint8Array {
  return expandLimitedLuma(luma, new Uint8Array(luma.length))
}
