// ffprobe's answer for a plain H.264 or HEVC MP4/MOV clip, built from the clip's own index (its
// moov box) instead of starting ffprobe: ~0.3 s less per clip with Debian's ffprobe, most of a
// many-file day's probing. The answer holds the very strings ffprobe 5.1 prints, so probe.ts turns
// it into a VideoInfo exactly as it turns ffprobe's (tested against ffprobe on a corpus of clips).
// Anything less plain is refused (NotIndexed, with the reason) and ffprobe reads the clip: edit
// lists that shift or cut (B-frames' edit, which only skips the composition delay, is read),
// variable frame rates, rotation, interlacing, other chroma layouts or bit depths, colour boxes,
// tracks other than sound.
import type { ISOFile, Sample } from 'mp4box'
import { readH264Sps, type H264Sps } from './h264-sps'
import { HEVC_SPS_NAL_TYPE, readHevcSps, type HevcSps } from './hevc-sps'
import { keyframesFromIndex, NotIndexed, readMp4Index, upright, type Mp4Keyframes, type Trak } from './mp4-keyframes'
import type { FfprobeAnswer } from './probe'

/** ffprobe's name for the MP4/MOV demuxer. */
const MOV_FORMAT_NAME = 'mov,mp4,m4a,3gp,3g2,mj2'
/** Seconds between 1904-01-01 (MP4's epoch) and 1970-01-01. */
const MP4_EPOCH_OFFSET = 2082844800
/** The packets probe.ts asks ffprobe for: those of the first two minutes (`-read_intervals %+120`). */
const PACKET_WINDOW_MICROSECONDS = 120_000_000n
/** With sound, ffprobe reads packets in an order that can let a sound packet end the window up
 *  to a second early: a keyframe this close to its end is left to ffprobe. */
const INTERLEAVE_MICROSECONDS = 1_000_000n

/** The answer ffprobe would give (streams, format, the first two minutes' keyframe packets), and
 *  the clip's keyframes from the same reading of its index. */
export async function answerFromIndex(path: string): Promise<{ answer: FfprobeAnswer; keyframes: Mp4Keyframes }> {
  const file = await readMp4Index(path)
  return { answer: answerFromParsedIndex(file), keyframes: keyframesFromIndex(file) }
}

/** The answer ffprobe would give, from an index readMp4Index parsed; NotIndexed if not plain. */
export function answerFromParsedIndex(file: ISOFile): FfprobeAnswer {
  const moov = file.moov
  if (!moov) throw new NotIndexed('it has no index (moov box)')
  // Its frames are listed in fragments after the index, not in it.
  if (moov.mvex) throw new NotIndexed('it is fragmented')
  const traks = moov.traks ?? []
  const videoIndex = traks.findIndex((t) => t.mdia?.hdlr?.handler === 'vide')
  if (videoIndex < 0 || traks.some((t, i) => i !== videoIndex && t.mdia?.hdlr?.handler !== 'soun')) {
    throw new NotIndexed('it does not hold one video track and sound at most')
  }
  for (const [i, t] of traks.entries()) if (i !== videoIndex && !startsAtZero(t, 'any')) throw new NotIndexed('a sound track starts late')
  const video = traks[videoIndex]
  const picture = pictureOf(video)
  const samples: Sample[] = video.samples ?? []
  const timing = timingOf(video, moov.mvhd?.timescale ?? 0, samples)
  if (samples.length !== timing.frames) throw new NotIndexed('its index lists another number of frames')
  const rate = fraction(timing.timescale, timing.delta)
  const created = creationTime(moov.mvhd?.creation_time ?? 0)
  const streamCreated = creationTime(video.mdia.mdhd.creation_time ?? 0)
  const answer: FfprobeAnswer = {
    streams: traks.map((t, index) => index === videoIndex
      ? {
          index, codec_type: 'video', ...picture, avg_frame_rate: rate, r_frame_rate: rate,
          nb_frames: String(timing.frames), duration: printSeconds(timing.duration * (1 / timing.timescale)), start_time: printSeconds(0),
          ...(streamCreated ? { tags: { creation_time: streamCreated } } : {})
        }
      : { index, codec_type: 'audio' }),
    format: { format_name: MOV_FORMAT_NAME, start_time: printSeconds(0), ...(created ? { tags: { creation_time: created } } : {}) },
    packets: keyframePackets(samples, videoIndex, timing, traks.length > 1)
  }
  return answer
}

/** The sample entry of a clip's video: the codec, its picture fields, its parameter sets. */
interface VideoEntry {
  type?: string
  width?: number
  height?: number
  avcC?: { SPS: Array<{ data: Uint8Array }> }
  hvcC?: { nalu_arrays: Array<Array<{ data: Uint8Array }>> }
  boxes?: Array<{ type: string }>
}

/** The codec as ffprobe names it and the picture its one SPS describes (null: cannot be read). */
function codecAndSps(entry: VideoEntry | undefined): { codec: 'h264' | 'hevc'; sps: H264Sps | HevcSps | null } {
  if (entry?.avcC && (entry.type === 'avc1' || entry.type === 'avc3')) {
    return { codec: 'h264', sps: entry.avcC.SPS.length === 1 ? readH264Sps(entry.avcC.SPS[0].data) : null }
  }
  if (entry?.hvcC && (entry.type === 'hvc1' || entry.type === 'hev1')) {
    const sets = entry.hvcC.nalu_arrays.flat().filter((n) => ((n.data[0] >> 1) & 0x3f) === HEVC_SPS_NAL_TYPE)
    const sps = sets.length === 1 ? readHevcSps(sets[0].data) : null
    // Every x265 SPS signals its range; one that does not is left to ffprobe (not seen here).
    return { codec: 'hevc', sps: sps?.fullRange === null ? null : sps }
  }
  throw new NotIndexed('its video is not H.264 or HEVC with one sample description')
}

/** Codec, size and luma layout, from the one SPS: what ffprobe's decoder reports. */
function pictureOf(video: Trak): Pick<FfprobeAnswer['streams'][number], 'codec_name' | 'pix_fmt' | 'color_range' | 'width' | 'height'> {
  if (!upright(video)) throw new NotIndexed('it is rotated or mirrored')
  const entries = video.mdia.minf.stbl.stsd.entries
  if (entries.length !== 1) throw new NotIndexed('its video is not H.264 or HEVC with one sample description')
  const entry = entries[0] as VideoEntry
  const { codec, sps } = codecAndSps(entry)
  // A colour box can set the range apart from the SPS: which one ffmpeg follows is left to it.
  if (entry.boxes?.some((b) => b.type === 'colr')) throw new NotIndexed('it has a colour box')
  if (!sps) throw new NotIndexed('its parameter set cannot be read')
  if (sps.chromaFormatIdc !== 1 || sps.bitDepthLuma !== 8 || sps.bitDepthChroma !== 8) throw new NotIndexed('it is not 8-bit 4:2:0')
  if ('frameMbsOnly' in sps && !sps.frameMbsOnly) throw new NotIndexed('it is interlaced')
  // ffmpeg moves unaligned left or top crops; the sample entry must agree with the SPS.
  if (sps.cropLeft !== 0 || sps.cropTop !== 0 || sps.width !== entry.width || sps.height !== entry.height) throw new NotIndexed('its picture size is not plain')
  // ffmpeg's H.264 and HEVC decoders: a full-range signal makes yuvj420p; no signal type, no range.
  return {
    codec_name: codec,
    width: sps.width,
    height: sps.height,
    pix_fmt: sps.fullRange ? 'yuvj420p' : 'yuv420p',
    ...(sps.fullRange === null ? {} : { color_range: sps.fullRange ? 'pc' : 'tv' })
  }
}

/**
 * A constant frame duration, the length, and where presentation starts in the track's time
 * (`start`): at its first sample, or with B-frames at that sample's composition time, which one
 * edit skips (the decoder's reordering delay, as ffmpeg's muxer writes it) so that it is shown at
 * zero.
 */
function timingOf(video: Trak, movieTimescale: number, samples: Sample[]): { timescale: number; delta: number; frames: number; duration: number; start: number } {
  const stbl = video.mdia.minf.stbl
  const { timescale, duration } = video.mdia.mdhd
  const start = samples[0]?.cts ?? 0
  if (samples.some((s) => s.cts < start)) throw new NotIndexed('a frame is shown before its first')
  if (stbl.ctts) {
    // ffmpeg drops a composition table it finds implausible and reads the rest otherwise: only
    // one that lists every frame, each shown at most two seconds after it is decoded, is read here.
    const listed = Array.from(stbl.ctts.sample_counts).reduce((a, n) => a + n, 0)
    if (listed !== samples.length || samples.some((s) => s.cts < s.dts || s.cts - s.dts > 2 * timescale)) {
      throw new NotIndexed('its composition table is implausible')
    }
  }
  const stts = stbl.stts
  if (!stts || stts.sample_counts.length !== 1) throw new NotIndexed('its frame rate is not constant')
  const frames = stts.sample_counts[0]
  const delta = stts.sample_deltas[0]
  if (!(timescale > 0) || !(delta > 0) || frames !== stbl.stsz?.sample_count || duration !== frames * delta) {
    throw new NotIndexed('its durations do not agree')
  }
  if (!startsAtZero(video, start)) throw new NotIndexed('its edit list shifts or cuts it')
  // An edit must cover the whole track (ffmpeg cuts the track to it).
  const edit = video.edts?.elst?.entries?.[0]
  if (edit && BigInt(edit.segment_duration) * BigInt(timescale) !== BigInt(duration) * BigInt(movieTimescale)) {
    throw new NotIndexed('its edit list shifts or cuts it')
  }
  return { timescale, delta, frames, duration, start }
}

/** No edit list (then the track must start at zero), or one edit played at normal rate from
 *  `mediaTime` (video: its first frame's composition time) or from any point (sound: encoder
 *  priming is skipped that way, and ffmpeg still starts it at zero). */
function startsAtZero(track: Trak, mediaTime: number | 'any'): boolean {
  const entries = track.edts?.elst?.entries
  if (!entries || entries.length === 0) return mediaTime === 'any' || mediaTime === 0
  if (entries.length !== 1) return false
  const e = entries[0]
  return e.media_rate_integer === 1 && e.media_rate_fraction === 0 && (mediaTime === 'any' ? e.media_time >= 0 : e.media_time === mediaTime)
}

/**
 * The keyframe packets ffprobe lists in the first two minutes, as it prints them. ffprobe reads
 * packets in file order and stops at the first one at or past the window's end, its presentation
 * time rounded to microseconds (half away from zero): with B-frames a later frame can end the
 * window before an earlier-shown keyframe, so every frame counts.
 */
function keyframePackets(samples: Sample[], streamIndex: number, timing: { timescale: number; start: number }, interleaved: boolean): NonNullable<FfprobeAnswer['packets']> {
  const { timescale, start } = timing
  const packets: NonNullable<FfprobeAnswer['packets']> = []
  for (const s of samples) {
    const pts = s.cts - start
    const micros = (BigInt(pts) * 2_000_000n + BigInt(timescale)) / (2n * BigInt(timescale))
    if (micros >= PACKET_WINDOW_MICROSECONDS) break
    if (!s.is_sync) continue
    if (interleaved && micros >= PACKET_WINDOW_MICROSECONDS - INTERLEAVE_MICROSECONDS) throw new NotIndexed('a keyframe lies where sound decides the window')
    packets.push({ stream_index: streamIndex, pts_time: printSeconds(pts * (1 / timescale)), flags: 'K__' })
  }
  return packets
}

/** ffmpeg's creation_time tag: MP4 seconds since 1904 (or, from some writers, since 1970). */
function creationTime(seconds: number): string | undefined {
  if (!seconds) return undefined
  const unix = seconds >= MP4_EPOCH_OFFSET ? seconds - MP4_EPOCH_OFFSET : seconds
  if (!Number.isSafeInteger(unix) || unix > 253402300799) throw new NotIndexed('its creation time is out of range')
  return new Date(unix * 1000).toISOString().slice(0, 19) + '.000000Z'
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

/** A rate as ffprobe prints it: the fraction in lowest terms. */
function fraction(num: number, den: number): string {
  const g = gcd(num, den)
  return `${num / g}/${den / g}`
}

/**
 * A time as ffprobe prints it (C's "%f"): six decimals, rounded from the double's exact value,
 * ties to even. toFixed(6) rounds ties up, which differs for times such as 600.0078125 s.
 */
export function printSeconds(x: number): string {
  if (!Number.isFinite(x) || x < 0) throw new RangeError(`not a time: ${x}`)
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const biased = Number((bits >> 52n) & 0x7ffn)
  const mantissa = (bits & ((1n << 52n) - 1n)) | (biased === 0 ? 0n : 1n << 52n)
  // x = mantissa * 2^exponent exactly.
  const exponent = (biased === 0 ? 1 : biased) - 1075
  const scaled = mantissa * 1_000_000n
  let micros: bigint
  if (exponent >= 0) micros = scaled << BigInt(exponent)
  else {
    const divisor = 1n << BigInt(-exponent)
    micros = scaled / divisor
    const rest = scaled % divisor
    const half = divisor / 2n
    if (rest > half || (rest === half && micros % 2n === 1n)) micros += 1n
  }
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`
}
