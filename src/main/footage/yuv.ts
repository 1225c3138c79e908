// RGB -> YUV 4:2:0 (BT.601, limited range: what ffmpeg assumes for untagged yuv420p). Frames go
// to ffmpeg in yuv420p rather than rgb24: half the bytes through the pipe and no colour
// conversion in ffmpeg, which together were about a third of the time for full-HD clips.

export type Yuv = readonly [number, number, number]

const luma = (r: number, g: number, b: number): number => Math.round(16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255)
const blue = (r: number, g: number, b: number): number => Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255)
const red = (r: number, g: number, b: number): number => Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255)

export function rgbToYuv(r: number, g: number, b: number): Yuv {
  return [luma(r, g, b), blue(r, g, b), red(r, g, b)]
}

export function yuv420pBytes(width: number, height: number): number {
  return width * height * 1.5
}

/** Converts a whole RGB24 picture (even width and height), passing every byte through a
 *  lighting table first. Chroma is taken from the mean colour of each 2x2 block. */
export function rgb24ToYuv420p(src: Buffer, width: number, height: number, table: Uint8Array, dst: Buffer): void {
  const chromaWidth = width / 2
  const uPlane = width * height
  const vPlane = uPlane + chromaWidth * (height / 2)
  for (let y = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      let r = 0
      let g = 0
      let b = 0
      for (let p = 0; p < 4; p++) {
        const at = (y + (p >> 1)) * width + x + (p & 1)
        const pr = table[src[at * 3]]
        const pg = table[src[at * 3 + 1]]
        const pb = table[src[at * 3 + 2]]
        dst[at] = luma(pr, pg, pb)
        r += pr
        g += pg
        b += pb
      }
      const c = (y / 2) * chromaWidth + x / 2
      dst[uPlane + c] = blue(r / 4, g / 4, b / 4)
      dst[vPlane + c] = red(r / 4, g / 4, b / 4)
    }
  }
}
