// PNG encoding and decoding through pngjs (pure JS: works wherever the app runs).
import { PNG, type PackerOptions } from 'pngjs'
import { pngSize, PngRefused } from './png-size'

export { pngSize, PngRefused } from './png-size'

/**
 * Paeth on every row at zlib's default level: files within 2 % of pngjs's default (each row's
 * best filter, level 9) in a quarter of the time (a 640x360 background and heatmap: 4 + 8 ms
 * against 18 + 20 ms), at the end of every analysis.
 */
const PACKING: PackerOptions = { filterType: 4, deflateLevel: 6 }

export function encodeGrayPng(width: number, height: number, gray: Uint8Array): Buffer {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false })
  png.data = Buffer.from(gray.buffer, gray.byteOffset, width * height)
  return PNG.sync.write(png, { ...PACKING, colorType: 0, inputColorType: 0, inputHasAlpha: false })
}

export function encodeRgbPng(width: number, height: number, rgb: Uint8Array): Buffer {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false })
  png.data = Buffer.from(rgb.buffer, rgb.byteOffset, width * height * 3)
  return PNG.sync.write(png, { ...PACKING, colorType: 2, inputColorType: 2, inputHasAlpha: false })
}

/**
 * The largest picture decodePngGray takes. A PNG of one flat colour compresses to almost nothing
 * (12000x12000 black: 140 KB) yet decodes to 4 bytes a pixel, so the size is checked first.
 */
export const PNG_MAX_SIDE = 8192
export const PNG_MAX_PIXELS = 40_000_000

/** A PNG whose picture is larger than decodePngGray takes (as opposed to one that is no PNG). */
export class PngTooLarge extends PngRefused {}

/** Decodes any PNG to grey levels (luma), for masks and reference images. */
export function decodePngGray(buf: Buffer): { width: number; height: number; gray: Uint8Array } {
  const { width, height } = pngSize(buf)
  if (width > PNG_MAX_SIDE || height > PNG_MAX_SIDE || width * height > PNG_MAX_PIXELS) {
    throw new PngTooLarge(
      `the image is ${width}x${height} pixels, larger than Dwellmap reads (at most ${PNG_MAX_SIDE} pixels a side, ${PNG_MAX_PIXELS / 1e6} megapixels)`
    )
  }
  const png = PNG.sync.read(buf)
  const gray = new Uint8Array(png.width * png.height)
  for (let i = 0; i < gray.length; i++) {
    const p = i * 4
    gray[i] = Math.round(0.299 * png.data[p] + 0.587 * png.data[p + 1] + 0.114 * png.data[p + 2])
  }
  return { width: png.width, height: png.height, gray }
}
