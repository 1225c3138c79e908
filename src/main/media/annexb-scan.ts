// The frames and keyframes of a raw H.264 or HEVC elementary stream (Annex B: NAL units after
// start codes, no container, so no duration and no index), read from the NAL headers and the
// first bit of each slice header. No bit reader (nal-bits.ts) is needed: that bit is the top bit
// of the byte after the NAL header, where no emulation prevention byte can fall (the header is
// never zero).
import { open } from 'node:fs/promises'
import { ProcessError } from './processes'

export type AnnexBCodec = 'h264' | 'hevc'

/** The codec of a bare stream by ffmpeg's name for it (format or codec: the same words), else null. */
export function annexBCodec(name: string | undefined): AnnexBCodec | null {
  return name === 'h264' || name === 'hevc' ? name : null
}

export interface AnnexBScan {
  /** Pictures whose first slice was seen. Each field of a field-coded H.264 frame counts: the
   *  keyframe spacing then comes out longer than it is, never shorter. */
  frames: number
  /** The numbers (from 0, in stream order) of the frames that are keyframes, among the first
   *  `keyframesWithin` frames. */
  keyframes: number[]
  /** Whether the scan reached the end of the file (else it stopped at `maxBytes` or `frames`). */
  whole: boolean
}

/** Read size: large enough that Buffer.indexOf, not the reads, sets the pace (smaller in tests:
 *  start codes cut by a chunk's end). */
const CHUNK_BYTES = 8 << 20
/** A NAL unit's bytes looked at: the header and the first byte of the slice header. */
const LOOK_BYTES = 3
const START_CODE = Buffer.from([0, 0, 1])

/**
 * Whether a NAL unit starts a picture, and whether that picture is a keyframe as ffmpeg's
 * decoders skip to them with `-skip_frame nokey`: H.264 IDR slices (type 5; frames a recovery
 * point SEI marks are left out, so the spacing is never shorter than the real one), HEVC IRAP
 * pictures (types 16-23) of the base layer.
 */
function pictureStart(codec: AnnexBCodec, nal: Buffer, at: number): 'key' | 'frame' | null {
  if (codec === 'h264') {
    const type = nal[at] & 0x1f
    // first_mb_in_slice is ue(v): 0 is a single 1 bit.
    if ((type !== 1 && type !== 5) || (nal[at + 1] & 0x80) === 0) return null
    return type === 5 ? 'key' : 'frame'
  }
  const type = (nal[at] >> 1) & 0x3f
  const layer = ((nal[at] & 1) << 5) | (nal[at + 1] >> 3)
  // Slice segments are types 0-9 and 16-21; first_slice_segment_in_pic_flag opens a picture.
  if (layer !== 0 || !(type <= 9 || (type >= 16 && type <= 21)) || (nal[at + 2] & 0x80) === 0) return null
  return type >= 16 ? 'key' : 'frame'
}

/**
 * Counts the stream's pictures from its start, up to `maxBytes` or `frames` pictures (the whole
 * file by default), and notes the keyframes among its first `keyframesWithin` frames. Reads the
 * file in large chunks and finds start codes with Buffer.indexOf: ~1 GB/s from the page cache here.
 */
export async function scanAnnexB(
  path: string, codec: AnnexBCodec,
  options: { maxBytes?: number; frames?: number; keyframesWithin?: number; signal?: AbortSignal; chunkBytes?: number } = {}
): Promise<AnnexBScan> {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES
  const maxBytes = options.maxBytes ?? Infinity
  const maxFrames = options.frames ?? Infinity
  const keyframesWithin = options.keyframesWithin ?? Infinity
  const file = await open(path, 'r')
  // Room for the few bytes carried over from the chunk before (a start code cut at its end).
  const buf = Buffer.allocUnsafe(chunkBytes + 16)
  let carried = 0
  let offset = 0
  let frames = 0
  const keyframes: number[] = []
  try {
    const { size } = await file.stat()
    for (;;) {
      if (options.signal?.aborted) throw new ProcessError('cancelled', '', null, null)
      const want = Math.min(chunkBytes, maxBytes - offset)
      const { bytesRead } = want > 0 ? await file.read(buf, carried, want, offset) : { bytesRead: 0 }
      offset += bytesRead
      const last = bytesRead === 0
      const end = carried + bytesRead
      const view = buf.subarray(0, end)
      // What may be the start of a start code is looked at again with the next chunk.
      let keep = Math.max(0, end - 2)
      for (let i = view.indexOf(START_CODE); i !== -1; i = view.indexOf(START_CODE, i + 3)) {
        if (i + 3 + LOOK_BYTES > end) {
          // Its NAL's first bytes come with the next chunk (at the end of the file: cut off).
          keep = i
          break
        }
        const start = pictureStart(codec, view, i + 3)
        if (start === null) continue
        if (frames === maxFrames) return { frames, keyframes, whole: false }
        if (start === 'key' && frames < keyframesWithin) keyframes.push(frames)
        frames++
      }
      if (last) return { frames, keyframes, whole: offset >= size }
      buf.copyWithin(0, keep, end)
      carried = end - keep
    }
  } finally {
    await file.close()
  }
}

/** Whether a file opens with an Annex B start code and a NAL header (H.264 or HEVC: its top bit,
 *  forbidden_zero_bit, clear). MPEG-PS and MPEG-1/2 video open with 00 00 01 and 0xB3 or 0xBA. */
export async function opensWithStartCode(path: string): Promise<boolean> {
  const file = await open(path, 'r')
  try {
    const head = Buffer.alloc(5)
    const { bytesRead } = await file.read(head, 0, 5, 0)
    const at = head.indexOf(START_CODE)
    return (at === 0 || (at === 1 && head[0] === 0)) && at + 3 < bytesRead && head[at + 3] < 0x80
  } finally {
    await file.close()
  }
}
