import { describe, expect, it } from 'vitest'
import { concatFileLine } from '../../src/main/media/concat-list'
import { concatScript } from '../../src/main/media/keyframes-near'

describe('concat scripts', () => {
  it('name clips as absolute file: URLs with quotes escaped', () => {
    expect(concatFileLine("/footage/Bob's shop/cam 1.mp4")).toBe("file 'file:/footage/Bob'\\''s shop/cam 1.mp4'")
  })

  it('refuse paths that would break out of their line', () => {
    expect(concatFileLine('/a/b\nfile /etc/passwd')).toBeNull()
    expect(concatFileLine('/a/b\r.mp4')).toBeNull()
    expect(concatFileLine('/a/b\0.mp4')).toBeNull()
  })

  it('cut one short piece per moment, in order', () => {
    expect(concatScript([{ input: '/a.mp4', seconds: 1.5 }, { input: '/b.mp4', seconds: 0 }])).toBe(
      "file 'file:/a.mp4'\ninpoint 1.500\noutpoint 1.540\nfile 'file:/b.mp4'\ninpoint 0.000\noutpoint 0.040\n"
    )
    expect(concatScript([{ input: '/a.mp4', seconds: 1 }, { input: '/b\n.mp4', seconds: 2 }])).toBeNull()
  })
})
