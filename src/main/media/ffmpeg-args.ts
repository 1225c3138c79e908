// ffmpeg arguments shared by the grey-frame runs. A module of its own, importing nothing at run
// time, so that the worker can start a decoder before it loads the rest of the engine
// (warm-fed-decoder.ts).
import type { Method } from '../../shared/settings'

/** Every grey-frame run starts quiet, takes the first video stream only, and ends in raw grey
 *  frames on stdout as they come (no duplicated frames to keep a rate). */
export const QUIET: readonly string[] = ['-hide_banner', '-nostdin', '-v', 'error']
export const FIRST_VIDEO_ONLY: readonly string[] = ['-map', '0:v:0', '-an', '-sn', '-dn']
export const RAW_GRAY_TO_STDOUT: readonly string[] = ['-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']

/**
 * Whether a run's keyframe-only decoders leave out the in-loop (deblocking) filter. Intra frames
 * predict from unfiltered samples, so skipping it changes those frames' block edges and nothing
 * else, and occupancy blurs, scales and compares them above compression noise: on a 1080p
 * High-profile clip, heatmaps r = 0.99997 and empty scenes 57 dB PSNR against the filtered ones,
 * for less decode time (ffmpeg alone on a 2-minute cut of it, one core: 1.42-1.48 s against
 * 1.56-1.57 s; docs/benchmarks.md). Not for `seed`, which reproduces the article's pipeline byte
 * for byte.
 */
export function skipsLoopFilter(method: Method): boolean {
  return method === 'occupancy'
}

/** Decoder options of a keyframe-only decode. */
export function keyframeDecoding(threads: number, skipLoopFilter = false): string[] {
  return ['-threads', String(threads), ...(skipLoopFilter ? ['-skip_loop_filter', 'all'] : [])]
}

/** The codecs a fed decoder reads as a bare stream (ffmpeg's demuxer names). */
export type FedCodec = 'h264' | 'hevc'

/**
 * ffmpeg reading a bare H.264 or HEVC stream from stdin (fed-keyframes.ts). The stream's own
 * parameter sets say everything, so nothing is probed: otherwise ffmpeg waits for 5 MB of input
 * before its first frame, and even told to probe 32 bytes it decodes a first frame to learn the
 * stream's (~25 ms at 1080p; the decoder then learns it from the stream). Not probed, the stream
 * is not known to be video before it is read, so it is mapped by hand. `filters`: the filter
 * graph, or null to read it from fd 3 once it is known (`-filter_script`, read after ffmpeg has
 * loaded and opened its input).
 */
export function fedDecoderArgs(codec: FedCodec, threads: number, filters: string | null, skipLoopFilter = false): string[] {
  return [
    ...QUIET, '-nofind_stream_info', '-probesize', '32', '-analyzeduration', '0', '-f', codec, ...keyframeDecoding(threads, skipLoopFilter), '-i', 'pipe:0',
    '-map', '0:v:0', ...(filters === null ? ['-filter_script:v', 'pipe:3'] : ['-vf', filters]), ...RAW_GRAY_TO_STDOUT
  ]
}
