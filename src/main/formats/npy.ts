// NumPy .npy (format 1.0) for float32 arrays: what numpy.load reads without help.
const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00])

export interface Float32Grid {
  width: number
  height: number
  data: Float32Array
}

export function encodeNpy(grid: Float32Grid): Buffer {
  return encodeNpyArray([grid.height, grid.width], grid.data)
}

/** Any C-ordered float32 array, e.g. (hours, height, width) for per-hour sums. */
export function encodeNpyArray(shape: number[], data: Float32Array): Buffer {
  if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error('grid size does not match its data')
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`
  // Header is padded with spaces and a newline so the data starts on a 64-byte boundary.
  const unpadded = MAGIC.length + 2 + header.length + 1
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n'
  const head = Buffer.alloc(MAGIC.length + 2)
  MAGIC.copy(head)
  head.writeUInt16LE(header.length, MAGIC.length)
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body])
}

/** Reads a C-ordered little-endian float32 .npy of any shape (hours.npy is 3-D). */
export function decodeNpyArray(buf: Buffer): { shape: number[]; data: Float32Array } {
  if (buf.length < 10 || buf.readUInt32BE(0) !== 0x934e554d) throw new Error('not a .npy file')
  const major = buf[6]
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8)
  const start = major === 1 ? 10 : 12
  const header = buf.subarray(start, start + headerLen).toString('latin1')
  if (!header.includes("'<f4'") || header.includes("'fortran_order': True")) throw new Error('only C-ordered little-endian float32 .npy files are supported')
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1]
  if (shapeText === undefined) throw new Error('.npy header has no shape')
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number)
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error('.npy header has no shape')
  const count = shape.reduce((a, b) => a * b, 1)
  const bytes = buf.subarray(start + headerLen, start + headerLen + count * 4)
  if (bytes.length !== count * 4) throw new Error('.npy file is truncated')
  const data = new Float32Array(count)
  new Uint8Array(data.buffer).set(bytes)
  return { shape, data }
}

/** A 2-D .npy, as heatmap.npy is. */
export function decodeNpy(buf: Buffer): Float32Grid {
  const { shape, data } = decodeNpyArray(buf)
  if (shape.length !== 2) throw new Error('only 2-D .npy files are supported')
  return { height: shape[0], width: shape[1], data }
}
