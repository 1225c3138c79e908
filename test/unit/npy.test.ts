import { describe, expect, it } from 'vitest'
import { decodeNpy, encodeNpy } from '../../src/main/formats/npy'

describe('npy', () => {
  it('round-trips a float32 grid with a 64-byte aligned header', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 1)
    const buf = encodeNpy({ width: 4, height: 3, data })
    expect(buf.subarray(1, 6).toString('latin1')).toBe('NUMPY')
    const headerLen = buf.readUInt16LE(8)
    expect((10 + headerLen) % 64).toBe(0)
    expect(buf.subarray(10, 10 + headerLen).toString('latin1')).toContain("'shape': (3, 4)")
    const back = decodeNpy(buf)
    expect([back.width, back.height]).toEqual([4, 3])
    expect(Array.from(back.data)).toEqual(Array.from(data))
  })

  it('refuses what it cannot read', () => {
    expect(() => decodeNpy(Buffer.from('not numpy at all'))).toThrow(/not a .npy/)
    const good = encodeNpy({ width: 2, height: 2, data: new Float32Array(4) })
    expect(() => decodeNpy(good.subarray(0, good.length - 3))).toThrow(/truncated/)
    expect(() => encodeNpy({ width: 3, height: 3, data: new Float32Array(4) })).toThrow()
  })
})
