// What an HEVC (H.265) sequence parameter set says about the picture, as h264-sps.ts does for
// H.264: its size after the conformance window, its chroma layout and bit depth, and whether its
// samples use the full 0-255 range. Read as far as the VUI's video signal type (ITU-T H.265,
// 7.3.2.2.1 and E.2.1), which lies behind the reference picture sets: those are walked (their
// syntax only) the way ffmpeg's decoder walks them.
import { NalBits, vuiFullRange } from './nal-bits'

export interface HevcSps {
  /** 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4. */
  chromaFormatIdc: number
  bitDepthLuma: number
  bitDepthChroma: number
  /** The picture as decoded, the conformance window applied. */
  width: number
  height: number
  cropLeft: number
  cropTop: number
  /** video_full_range_flag when the VUI carries a video signal type, else null. */
  fullRange: boolean | null
}

/** HEVC's NAL unit type of a sequence parameter set. */
export const HEVC_SPS_NAL_TYPE = 33

/** Reads an SPS NAL unit (its two header bytes first). Null when it is not one or cannot be read. */
export function readHevcSps(nal: Uint8Array): HevcSps | null {
  if (nal.length < 6 || ((nal[0] >> 1) & 0x3f) !== HEVC_SPS_NAL_TYPE) return null
  try {
    const r = new NalBits(nal.subarray(2))
    r.bits(4) // sps_video_parameter_set_id
    const maxSubLayersMinus1 = r.bits(3)
    r.bit() // sps_temporal_id_nesting_flag
    skipProfileTierLevel(r, maxSubLayersMinus1)
    r.ue() // sps_seq_parameter_set_id
    const chromaFormatIdc = r.ue()
    if (chromaFormatIdc > 3) return null
    if (chromaFormatIdc === 3) r.bit() // separate_colour_plane_flag
    const codedWidth = r.ue()
    const codedHeight = r.ue()
    const window = r.bit() ? { left: r.ue(), right: r.ue(), top: r.ue(), bottom: r.ue() } : { left: 0, right: 0, top: 0, bottom: 0 }
    const bitDepthLuma = r.ue() + 8
    const bitDepthChroma = r.ue() + 8
    const pocLsbBits = r.ue() + 4
    const orderingForAll = r.bit() === 1
    for (let i = orderingForAll ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
      r.ue() // sps_max_dec_pic_buffering_minus1
      r.ue() // sps_max_num_reorder_pics
      r.ue() // sps_max_latency_increase_plus1
    }
    for (let i = 0; i < 6; i++) r.ue() // coding and transform block sizes, hierarchy depths
    if (r.bit() && r.bit()) skipScalingListData(r) // scaling_list_enabled, sps_scaling_list_data_present
    r.bit() // amp_enabled_flag
    r.bit() // sample_adaptive_offset_enabled_flag
    if (r.bit()) {
      // pcm_enabled_flag: sample bit depths, block sizes, loop filter flag.
      r.bits(8)
      r.ue()
      r.ue()
      r.bit()
    }
    skipShortTermRefPicSets(r, r.ue())
    if (r.bit()) {
      // long_term_ref_pics_present_flag
      const count = r.ue()
      for (let i = 0; i < count; i++) r.bits(pocLsbBits + 1) // lt_ref_pic_poc_lsb_sps, used_by_curr_pic_lt_sps_flag
    }
    r.bit() // sps_temporal_mvp_enabled_flag
    r.bit() // strong_intra_smoothing_enabled_flag
    // vui_parameters_present_flag
    const fullRange = r.bit() ? vuiFullRange(r) : null
    // Window offsets count chroma samples: 4:2:0 halves both ways, 4:2:2 across.
    const stepX = chromaFormatIdc === 1 || chromaFormatIdc === 2 ? 2 : 1
    const stepY = chromaFormatIdc === 1 ? 2 : 1
    const width = codedWidth - (window.left + window.right) * stepX
    const height = codedHeight - (window.top + window.bottom) * stepY
    if (width <= 0 || height <= 0) return null
    return { chromaFormatIdc, bitDepthLuma, bitDepthChroma, fullRange, width, height, cropLeft: window.left * stepX, cropTop: window.top * stepY }
  } catch (err) {
    if (err instanceof RangeError) return null
    throw err
  }
}

/** profile_tier_level(1, maxSubLayersMinus1): the general profile and level, then the sub-layers'. */
function skipProfileTierLevel(r: NalBits, maxSubLayersMinus1: number): void {
  r.bits(8) // profile space, tier, profile
  r.bits(32) // profile compatibility flags
  r.bits(48) // source flags, constraint flags, reserved
  r.bits(8) // general_level_idc
  const present: Array<{ profile: boolean; level: boolean }> = []
  for (let i = 0; i < maxSubLayersMinus1; i++) present.push({ profile: r.bit() === 1, level: r.bit() === 1 })
  if (maxSubLayersMinus1 > 0) for (let i = maxSubLayersMinus1; i < 8; i++) r.bits(2)
  for (const p of present) {
    if (p.profile) r.bits(88)
    if (p.level) r.bits(8)
  }
}

function skipScalingListData(r: NalBits): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!r.bit()) {
        r.ue() // scaling_list_pred_matrix_id_delta
        continue
      }
      if (sizeId > 1) r.se() // scaling_list_dc_coef_minus8
      for (let i = Math.min(64, 1 << (4 + (sizeId << 1))); i > 0; i--) r.se()
    }
  }
}

/**
 * The SPS's short-term reference picture sets. A set predicted from the one before it has a flag
 * or two per entry of that one (and one for that picture itself); it holds the entries used or
 * kept, counted as ffmpeg counts them (ff_hevc_decode_short_term_rps).
 */
function skipShortTermRefPicSets(r: NalBits, count: number): void {
  if (count > 64) throw new RangeError('too many reference picture sets')
  const entries: number[] = []
  for (let idx = 0; idx < count; idx++) {
    if (idx > 0 && r.bit()) {
      // inter_ref_pic_set_prediction_flag: delta_rps_sign, abs_delta_rps_minus1, then the flags.
      r.bit()
      r.ue()
      let kept = 0
      for (let j = 0; j <= entries[idx - 1]; j++) {
        const used = r.bit() === 1
        if (used || r.bit() === 1) kept++
      }
      entries.push(kept)
    } else {
      const negative = r.ue()
      const positive = r.ue()
      if (negative + positive > 32) throw new RangeError('a reference picture set too large')
      for (let i = 0; i < negative + positive; i++) {
        r.ue() // delta_poc_s0/s1_minus1
        r.bit() // used_by_curr_pic_s0/s1_flag
      }
      entries.push(negative + positive)
    }
  }
}
