// The bit reader of the parameter-set parsers (h264-sps.ts, hevc-sps.ts): fixed-width fields and
// Exp-Golomb codes, as both standards write them. A read past the end throws a RangeError, which
// the parsers turn into "cannot be read".

/** Reads bits of a NAL unit's payload, emulation prevention bytes (00 00 03) removed. */
export class NalBits {
  private readonly bytes: Uint8Array
  private pos = 0

  constructor(nal: Uint8Array) {
    const out: number[] = []
    let zeros = 0
    for (const b of nal) {
      if (zeros >= 2 && b === 3) {
        zeros = 0
        continue
      }
      zeros = b === 0 ? zeros + 1 : 0
      out.push(b)
    }
    this.bytes = Uint8Array.from(out)
  }

  bit(): number {
    if (this.pos >= this.bytes.length * 8) throw new RangeError('the parameter set ends early')
    const b = (this.bytes[this.pos >> 3] >> (7 - (this.pos & 7))) & 1
    this.pos++
    return b
  }

  bits(n: number): number {
    let v = 0
    for (let i = 0; i < n; i++) v = v * 2 + this.bit()
    return v
  }

  /** ue(v): Exp-Golomb coded, unsigned. */
  ue(): number {
    let zeros = 0
    while (this.bit() === 0) if (++zeros > 31) throw new RangeError('a malformed Exp-Golomb code')
    return 2 ** zeros - 1 + this.bits(zeros)
  }

  /** se(v): Exp-Golomb coded, signed. */
  se(): number {
    const k = this.ue()
    return k % 2 === 1 ? (k + 1) / 2 : -k / 2
  }
}

/**
 * The opening of a sequence parameter set's VUI, alike in H.264 (E.1.1) and H.265 (E.2.1), as
 * far as the video signal type: video_full_range_flag, or null when the VUI gives no signal type.
 */
export function vuiFullRange(r: NalBits): boolean | null {
  if (r.bit() && r.bits(8) === 255) r.bits(32) // aspect ratio, extended SAR
  if (r.bit()) r.bit() // overscan
  if (!r.bit()) return null
  r.bits(3) // video_format
  return r.bit() === 1
}
