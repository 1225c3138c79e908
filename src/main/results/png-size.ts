// A PNG's size from its header, without decoding it (nor loading a PNG library): enough to refuse
// a picture too large to decode (png.ts) or of another shape than the footage (masks).

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A PNG that is not one, or is too large to decode; the message is a plain clause ("it is ..."). */
export class PngRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PngRefused'
  }
}

/**
 * The width and height from the IHDR chunk, which must come first, right after the signature:
 * length (4 bytes), "IHDR", width, height (4 bytes each, big-endian).
 */
export function pngSize(buf: Buffer): { width: number; height: number } {
  if (buf.length < 24 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new PngRefused('it is not a PNG image')
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new PngRefused('it is not a whole PNG image (its header is missing)')
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}
