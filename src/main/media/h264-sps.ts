// What an H.264 sequence parameter set says about the picture: its size after cropping, its
// chroma layout and bit depth, and whether its samples use the full 0-255 range. Read as far as
// the VUI's video signal type (ITU-T H.264, 7.3.2.1.1 and E.1.1); nothing after it is needed.
// Hand-written: the one npm package for it (h264-sps-parser, a single 0.2 release) reports chroma
// format 0 for the profiles that leave it out (it is 4:2:0 there); the syntax is short and stable.
import { NalBits, vuiFullRange } from './nal-bits'

export interface H264Sps {
  profileIdc: number
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormatIdc: number
  bitDepthLuma: number
  bitDepthChroma: number
  frameMbsOnly: boolean
  /** The picture as decoded, cropping applied. */
  width: number
  height: number
  cropLeft: number
  cropTop: number
  /** video_full_range_flag when the VUI carries a video signal type, else null. */
  fullRange: boolean | null
}

/** Profiles whose SPS carries chroma format, bit depths and scaling lists. */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135])

function skipScalingList(r: NalBits, size: number): void {
  let last = 8
  let next = 8
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + r.se() + 256) % 256
    last = next === 0 ? last : next
  }
}

/** Reads an SPS NAL unit (its header byte first). Null when it is not one or cannot be read. */
export function readH264Sps(nal: Uint8Array): H264Sps | null {
  if (nal.length < 4 || (nal[0] & 0x1f) !== 7) return null
  try {
    const r = new NalBits(nal.subarray(1))
    const profileIdc = r.bits(8)
    r.bits(16) // constraint flags, level_idc
    r.ue() // seq_parameter_set_id
    let chromaFormatIdc = 1
    let bitDepthLuma = 8
    let bitDepthChroma = 8
    if (HIGH_PROFILES.has(profileIdc)) {
      chromaFormatIdc = r.ue()
      if (chromaFormatIdc === 3) r.bit() // separate_colour_plane_flag
      bitDepthLuma = r.ue() + 8
      bitDepthChroma = r.ue() + 8
      r.bit() // qpprime_y_zero_transform_bypass_flag
      if (r.bit()) {
        for (let i = 0; i < (chromaFormatIdc !== 3 ? 8 : 12); i++) if (r.bit()) skipScalingList(r, i < 6 ? 16 : 64)
      }
    }
    r.ue() // log2_max_frame_num_minus4
    const pocType = r.ue()
    if (pocType === 0) r.ue()
    else if (pocType === 1) {
      r.bit()
      r.se()
      r.se()
      const cycle = r.ue()
      for (let i = 0; i < cycle; i++) r.se()
    }
    r.ue() // max_num_ref_frames
    r.bit() // gaps_in_frame_num_value_allowed_flag
    const widthMbs = r.ue() + 1
    const heightMapUnits = r.ue() + 1
    const frameMbsOnly = r.bit() === 1
    if (!frameMbsOnly) r.bit()
    r.bit() // direct_8x8_inference_flag
    const crop = r.bit() ? { left: r.ue(), right: r.ue(), top: r.ue(), bottom: r.ue() } : { left: 0, right: 0, top: 0, bottom: 0 }
    // vui_parameters_present_flag
    const fullRange = r.bit() ? vuiFullRange(r) : null
    // Crop units: chroma samples (4:2:0 halves both ways, 4:2:2 across), doubled down a field.
    const stepX = chromaFormatIdc === 1 || chromaFormatIdc === 2 ? 2 : 1
    const stepY = (2 - (frameMbsOnly ? 1 : 0)) * (chromaFormatIdc === 1 ? 2 : 1)
    return {
      profileIdc, chromaFormatIdc, bitDepthLuma, bitDepthChroma, frameMbsOnly, fullRange,
      width: widthMbs * 16 - (crop.left + crop.right) * stepX,
      height: heightMapUnits * 16 * (frameMbsOnly ? 1 : 2) - (crop.top + crop.bottom) * stepY,
      cropLeft: crop.left * stepX,
      cropTop: crop.top * stepY
    }
  } catch (err) {
    if (err instanceof RangeError) return null
    throw err
  }
}
