// Decodes a clip into grey frames at the analysis size, straight out of ffmpeg's stdout: the
// ffmpeg arguments for each kind of run (frame-pipe.ts reads the frames).
import type { Readable } from 'node:stream'
import { startFrameDecoder, type FrameDecoder } from './frame-decoder'
import { pipeGrayFrames } from './frame-pipe'
import { FRAME_TIME_FILTERS, readFrameTimes, type FrameTimes } from './frame-times'
import { FIRST_VIDEO_ONLY, QUIET, RAW_GRAY_TO_STDOUT, keyframeDecoding } from './ffmpeg-args'
import { spawnTool, lastErrorLine, ProcessError } from './processes'
import { LIMITED_LUMA_FILTER } from './luma-range'
import { InputError } from './probe'

/**
 * Sampling after `auto` has been resolved. `phase`: frames already counted towards the next
 * sample when the decode starts (the day's count carried over from the clips before, see
 * plan-sampling.ts), so the first frame taken is frame n - 1 - phase.
 */
export type FrameSampling = { kind: 'every'; n: number; phase?: number } | { kind: 'fps'; fps: number } | { kind: 'keyframes' }

export interface GrayDecodeOptions {
  ffmpeg: string
  input: string
  width: number
  height: number
  sampling: FrameSampling
  /** The clip's size and luma layout, when known: lets the grey conversion take a shortcut. */
  source?: GraySource
  /** Decode only [from, to) seconds of the clip's own timestamps: one segment of a parallel decode. */
  segment?: { from: number; to?: number }
  /** The consumer takes limited-range luma and expands it itself (see storedLuma). */
  acceptStoredLuma?: boolean
  /** Decoder threads: for keyframes read through the container's index (see keyframeArgs) and
   *  for every-frame decodes running side by side (decode-plan.ts); else ffmpeg's choice. */
  threads?: number
  /** Keyframe-only decodes leave out the deblocking filter (see skipsLoopFilter). */
  skipLoopFilter?: boolean
  /** ffmpeg tells each frame's time (frame-times.ts), for per-hour sums. */
  frameTimes?: boolean
  signal?: AbortSignal
}

/** What toGrayGrid needs to know of the source, when known (see VideoInfo.lumaPlane). */
export interface GraySource {
  width: number
  height: number
  lumaPlane?: 'limited' | 'full'
  keyframeIndex?: boolean
  /** The container's first timestamp (s): ffmpeg's -ss counts from it. */
  startTime?: number
}

/**
 * Scale and grey conversion, always through an explicit scale filter placed after any select:
 * with a bare `format=gray`, ffmpeg's format negotiation may convert every decoded frame before
 * select drops most of them (measured: 2x slower for every 5th frame at 1080p).
 * When the picture shrinks and the source is planar YUV, the Y plane alone is scaled (without
 * reading the colour planes: about a fifth less ffmpeg time at 1080p -> 640), then its range
 * changed by the table of luma-range.ts: the very bytes a consumer of stored luma makes with it
 * (see storedLuma; tested), and cheaper than the scaler's own range change (callgrind, 20 frames
 * 1080p -> 640: 562 against 598 million instructions, 445 without any).
 */
export function toGrayGrid(o: { width: number; height: number; source?: GraySource }): string[] {
  const s = o.source
  if (s?.lumaPlane && (s.width !== o.width || s.height !== o.height)) {
    return [...storedPlaneOnGrid(o, s.lumaPlane), ...(s.lumaPlane === 'limited' ? [LIMITED_LUMA_FILTER] : [])]
  }
  return [`scale=${o.width}:${o.height}:flags=area`, 'format=gray']
}

/**
 * The Y plane scaled to the grid, its range left as it is stored. Said explicitly: a plane whose
 * stream is tagged as limited range would otherwise be expanded by the scaler on the way.
 */
function storedPlaneOnGrid(o: { width: number; height: number }, range: 'limited' | 'full'): string[] {
  return ['extractplanes=y', `scale=${o.width}:${o.height}:flags=area:in_range=${range}:out_range=${range}`]
}

/**
 * The Y plane can leave ffmpeg in the range it is stored in, scaled to the grid by the area filter
 * alone: the range change to full-range grey is then the consumer's, with the same table as
 * toGrayGrid's, so the bytes after it are the same (tested). In ffmpeg it runs on the thread that
 * also feeds the decoder threads and costs ~6-8 million instructions a 1080p -> 640 frame
 * (callgrind, 20 frames: 445 million without it, 562 with the lut filter, 598 in the scaler);
 * OpenCV's convertTo in the kernel, ~0.05 ms. Returns the range the plane is stored in, or null
 * when the general path applies.
 */
export function storedLuma(o: { source?: GraySource }): 'limited' | 'full' | null {
  return o.source?.lumaPlane ?? null
}

/**
 * Keyframes only, many times faster than decoding every frame. Where the container indexes its
 * keyframes the demuxer drops the other packets unread, and the decoder, fed only independent
 * frames, decodes several at once with frame threads (measured on the 10-minute 1080p bench clip,
 * 2 cores: one ffmpeg with two or three threads 1.8-2.0 s and 80-89 MB, against 2.3-2.5 s and
 * 2 x 69 MB for two single-threaded time segments side by side). Elsewhere every packet reaches
 * the decoder, which skips the non-keyframes; frame threads then only add hand-offs, so one
 * thread is faster.
 */
export function keyframeArgs(source: GraySource | undefined, threads = 1, skipLoopFilter = false): string[] {
  if (source?.keyframeIndex) return ['-discard', 'nokey', '-skip_frame', 'nokey', ...keyframeDecoding(threads, skipLoopFilter)]
  return ['-skip_frame', 'nokey', ...keyframeDecoding(1, skipLoopFilter)]
}

export function grayDecodeArgs(o: GrayDecodeOptions): string[] {
  const input: string[] = [...QUIET]
  if (o.sampling.kind === 'keyframes') input.push(...keyframeArgs(o.source, o.threads, o.skipLoopFilter))
  else if (o.threads !== undefined) input.push('-threads', String(o.threads))
  if (o.segment) {
    // Seek near the segment, keep the clip's own timestamps, and cut exactly with select, so that
    // neighbouring segments neither share nor miss a frame. The input-side stop (with a second
    // to spare) is what makes ffmpeg stop reading: select alone drops frames but decodes on.
    // Segment bounds are timestamps; -ss counts from the container's first one (MPEG-TS often
    // starts at 1.4 s or later).
    const seekFrom = Math.max(0, o.segment.from - (o.source?.startTime ?? 0) - 1)
    input.push('-ss', seekFrom.toFixed(3), '-copyts')
    if (o.segment.to !== undefined) input.push('-t', (o.segment.to - o.segment.from + 2).toFixed(3))
  }
  input.push('-i', o.input, ...FIRST_VIDEO_ONLY)
  const filters: string[] = []
  if (o.segment) {
    const { from, to } = o.segment
    filters.push(`select=gte(t\\,${from})${to === undefined ? '' : `*lt(t\\,${to})`}`)
  }
  // "Every Nth" counts frames from 1 as the article does: frames N, 2N, ... (0-based N-1, 2N-1, ...).
  if (o.sampling.kind === 'every' && o.sampling.n > 1) filters.push(`select=not(mod(n+${1 + (o.sampling.phase ?? 0)}\\,${o.sampling.n}))`)
  if (o.sampling.kind === 'fps') filters.push(`fps=${o.sampling.fps}`)
  filters.push(...gridFilters(o))
  if (o.frameTimes) filters.push(...FRAME_TIME_FILTERS)
  // Without passthrough, ffmpeg duplicates frames to keep the input rate after select/skip_frame.
  return [...input, '-vf', filters.join(','), ...RAW_GRAY_TO_STDOUT]
}

/** Where the times of a decode's frames count from: a segment keeps the clip's own timestamps
 *  (-copyts), a whole decode starts at the clip's first. */
function timeOrigin(o: GrayDecodeOptions): number {
  return o.segment ? (o.source?.startTime ?? 0) : 0
}

/** The range of the frames a decode with these options delivers (see gridFilters). */
export function deliveredLuma(o: Pick<GrayDecodeOptions, 'source' | 'acceptStoredLuma'>): 'limited' | 'full' {
  return o.acceptStoredLuma && storedLuma(o) === 'limited' ? 'limited' : 'full'
}

/** The last filters of every accumulation decode: frames onto the grid, as the kernel takes them. */
export function gridFilters(o: Pick<GrayDecodeOptions, 'width' | 'height' | 'source' | 'acceptStoredLuma'>): string[] {
  // The scale passes frames through untouched at the same size; it is there for footage whose
  // rotation only the frames carry (an H.264 orientation flag): ffmpeg turns those upright, and
  // the scale keeps them on the grid as the general path does.
  const stored = o.acceptStoredLuma ? storedLuma(o) : null
  return stored ? storedPlaneOnGrid(o, stored) : toGrayGrid(o)
}

/**
 * Starts the ffmpeg of a decode before anyone reads it (its start-up then overlaps other work);
 * its first frames wait in the pipe. Hand it to decodeGrayFrames with the same options, or kill
 * it. Its exit is observed, so a failure before it is read is no unhandled rejection.
 */
export async function startGrayDecode(o: GrayDecodeOptions): Promise<FrameDecoder> {
  const started = await startFrameDecoder(o.ffmpeg, grayDecodeArgs(o), { signal: o.signal, pipe3: o.frameTimes })
  started.tool.done.catch(() => {})
  return started
}

/**
 * Calls onFrame for every decoded frame with a buffer that is reused for the next frame (see
 * FrameConsumer). Resolves with the number of frames delivered. `started`: the same decode,
 * started earlier by startGrayDecode.
 */
export function decodeGrayFrames(o: GrayDecodeOptions, onFrame: TimedFrameConsumer, started?: Promise<FrameDecoder>): Promise<number> {
  if (!o.frameTimes) {
    return pipeGrayFrames({ ffmpeg: o.ffmpeg, args: grayDecodeArgs(o), input: o.input, frameSize: o.width * o.height, signal: o.signal, started }, (frame, k) => onFrame(frame, k, null))
  }
  const decoder = started ?? startGrayDecode(o)
  let times: FrameTimes | null = null
  const timed = decoder.then((d) => {
    times = readFrameTimes(d.tool.child.stdio[3] as Readable, timeOrigin(o))
    return d
  })
  // ffmpeg prints a frame's time before it writes the frame, but the two pipes are read apart: a
  // frame whose time is not read yet waits in a copy (its buffer is read into again meanwhile;
  // the next frame is handed over only after it, so one copy serves).
  let waiting: Uint8Array | null = null
  return pipeGrayFrames({ ffmpeg: o.ffmpeg, args: [], input: o.input, frameSize: o.width * o.height, signal: o.signal, started: timed }, (frame, k) => {
    const at = times!.at(k)
    if (!(at instanceof Promise)) return onFrame(frame, k, at)
    waiting ??= new Uint8Array(frame.length)
    waiting.set(frame)
    const copy = waiting
    return at.then((seconds) => onFrame(copy, k, seconds))
  })
}

/** A FrameConsumer also told the frame's time in the clip (s; null when not asked for or not known). */
export type TimedFrameConsumer = (frame: Uint8Array, index: number, seconds: number | null) => unknown

/**
 * The frames at these indices (0-based, as decoded), in one run that decodes the clip up to the
 * last of them: for short clips, cheaper than one seek per frame. Missing ones (the clip is
 * shorter) are left out of the map.
 */
export async function extractGrayFramesAt(o: Omit<GrayDecodeOptions, 'sampling'>, indices: number[]): Promise<Map<number, Uint8Array>> {
  const wanted = [...new Set(indices)].sort((a, b) => a - b)
  const select = `select=${wanted.map((n) => `eq(n\\,${n})`).join('+')}`
  const args = [...QUIET, '-i', o.input, ...FIRST_VIDEO_ONLY, '-vf', [select, ...toGrayGrid(o)].join(','),
    '-frames:v', String(wanted.length), ...RAW_GRAY_TO_STDOUT]
  const frames = new Map<number, Uint8Array>()
  await pipeGrayFrames({ ffmpeg: o.ffmpeg, args, input: o.input, frameSize: o.width * o.height, signal: o.signal }, (frame, k) => {
    frames.set(wanted[k], Uint8Array.from(frame))
  })
  return frames
}

/** A frame ffmpeg could not decode, and ffmpeg's reason. */
export class FrameUnreadable extends InputError {
  constructor(file: string, readonly reason: string) {
    super(file, `reference frame could not be read (${reason})`)
  }
}

/** One frame at a time index or second, for references and thumbnails. */
export async function extractGrayFrame(
  o: Omit<GrayDecodeOptions, 'sampling'>,
  at: { kind: 'frame'; index: number } | { kind: 'time'; seconds: number }
): Promise<Uint8Array> {
  const args = [...QUIET]
  if (at.kind === 'time') args.push('-ss', String(at.seconds))
  args.push('-i', o.input, ...FIRST_VIDEO_ONLY)
  const filters: string[] = []
  // Exact frame index: select counts decoded frames, which seeking by time cannot promise.
  if (at.kind === 'frame') filters.push(`select=eq(n\\,${at.index})`)
  filters.push(...toGrayGrid(o))
  args.push('-vf', filters.join(','), '-frames:v', '1', ...RAW_GRAY_TO_STDOUT)
  const { child, done } = spawnTool(o.ffmpeg, args, { signal: o.signal })
  const chunks: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => chunks.push(c))
  try {
    await done
  } catch (err) {
    if (err instanceof ProcessError && err.message !== 'cancelled') {
      throw new FrameUnreadable(o.input, lastErrorLine(err.stderrTail) || err.message)
    }
    throw err
  }
  const data = Buffer.concat(chunks)
  const where = at.kind === 'frame' ? `frame ${at.index}` : `${at.seconds} s`
  if (data.length < o.width * o.height) throw new InputError(o.input, `has no frame at ${where} (the clip is shorter)`)
  return new Uint8Array(data.buffer, data.byteOffset, o.width * o.height)
}
