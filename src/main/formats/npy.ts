// NumPy .npy (format 1.0) for float32 2-D arrays: what numpy.load reads without help.
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

export function decodeNpy(buf: Buffer): Float32Grid {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC.subarray(0, 6))) throw new Error('not a .npy file')
  const major = buf[6]
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8)
  const start = major === 1 ? 10 : 12
  const header = buf.subarray(start, start + headerLen).toString('latin1')
  if (!header.includes("'<f4'")) throw new Error('only little-endian float32 .npy files are supported')
  if (header.includes("'fortran_order': True")) throw new Error('Fortran-ordered .npy files are not supported')
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header)
  if (!shape) throw new Error('only 2-D .npy files are supported')
  const height = Number(shape[1])
  const width = Number(shape[2])
  const offset = start + headerLen
  const bytes = buf.subarray(offset, offset + width * height * 4)
  if (bytes.length !== width * height * 4) throw new Error('.npy file is truncated')
  // Copy into an aligned buffer: the slice may not start on a 4-byte boundary.
  const data = new Float32Array(width * height)
  new Uint8Array(data.buffer).set(bytes)
  return { width, height, data }
}
