// decodePngGray reads the size from the header before decoding: a tiny file that claims a huge
// picture is refused at once, in words naming the size, instead of taking gigabytes.
import { describe, expect, it } from 'vitest'
import { decodePngGray, encodeGrayPng, pngSize, PngRefused } from '../../src/main/results/png'

/** CRC-32 as PNG chunks use it (Node 20's zlib has no crc32). */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(bytes: Buffer): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A real small PNG whose header claims another size (with a correct CRC, so only the size is wrong). */
function claiming(width: number, height: number): Buffer {
  const png = Buffer.from(encodeGrayPng(4, 4, new Uint8Array(16)))
  png.writeUInt32BE(width, 16)
  png.writeUInt32BE(height, 20)
  // The IHDR's CRC covers its type and data: bytes 12 to 29.
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29)
  return png
}

describe('decodePngGray size limit', () => {
  it('still decodes ordinary pictures', () => {
    const gray = Uint8Array.from({ length: 12 }, (_, i) => i * 20)
    const decoded = decodePngGray(encodeGrayPng(4, 3, gray))
    expect(decoded.width).toBe(4)
    expect(decoded.height).toBe(3)
    expect(Array.from(decoded.gray)).toEqual(Array.from(gray))
  })

  it('refuses a picture whose header claims 12000x12000, before decoding it', () => {
    const png = claiming(12000, 12000)
    expect(png.length).toBeLessThan(200)
    expect(pngSize(png)).toEqual({ width: 12000, height: 12000 })
    const started = performance.now()
    expect(() => decodePngGray(png)).toThrow(PngRefused)
    expect(() => decodePngGray(png)).toThrow('the image is 12000x12000 pixels, larger than Dwellmap reads (at most 8192 pixels a side, 40 megapixels)')
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('refuses too long a side, or too many pixels in all', () => {
    expect(() => decodePngGray(claiming(8193, 10))).toThrow('the image is 8193x10 pixels')
    expect(() => decodePngGray(claiming(7000, 7000))).toThrow('the image is 7000x7000 pixels')
  })

  it('lets a size within the limits through to the decoder', () => {
    // The data is for 4x4, so pngjs fails, but not on the size.
    let message = ''
    try {
      decodePngGray(claiming(8, 8))
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).not.toContain('larger than Dwellmap reads')
  })

  it('says plainly when the file is not a PNG at all', () => {
    expect(() => decodePngGray(Buffer.from('GIF89a this is not a png at all'))).toThrow('it is not a PNG image')
    const headless = Buffer.from(encodeGrayPng(4, 4, new Uint8Array(16)))
    headless.write('IDAT', 12, 'latin1')
    expect(() => decodePngGray(headless)).toThrow('its header is missing')
  })
})
