// Turbo colour map (Google's polynomial fit): perceptually ordered, readable on any screen.
export const TURBO: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3)
  const ch = (t: number, c: number[]): number =>
    Math.max(0, Math.min(255, Math.round(255 * (c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * (c[4] + t * c[5]))))))))
  const r = [0.13572138, 4.6153926, -42.66032258, 132.13108234, -152.94239396, 59.28637943]
  const g = [0.09140261, 2.19418839, 4.84296658, -14.18503333, 4.27729857, 2.82956604]
  const b = [0.1066733, 12.64194608, -60.58204836, 110.36276771, -89.90310912, 27.34824973]
  for (let i = 0; i < 256; i++) {
    const t = i / 255
    lut[i * 3] = ch(t, r)
    lut[i * 3 + 1] = ch(t, g)
    lut[i * 3 + 2] = ch(t, b)
  }
  return lut
})()
