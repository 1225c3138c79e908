// Decodes a clip into grey frames at the analysis size, straight out of ffmpeg's stdout.
// Frames are handed over one at a time in a reused buffer: no frame files, constant memory.
import { readChunkCollector } from '../runtime/read-chunk-garbage'
import { spawnTool, lastErrorLine, ProcessError } from './processes'
import { InputError } from './probe'

/** Every grey-frame run starts quiet, takes the first video stream only, and ends in raw grey
 *  frames on stdout as they come (no duplicated frames to keep a rate). */
export const QUIET: readonly string[] = ['-hide_banner', '-nostdin', '-v', 'error']
export const FIRST_VIDEO_ONLY: readonly string[] = ['-map', '0:v:0', '-an', '-sn', '-dn']
export const RAW_GRAY_TO_STDOUT: readonly string[] = ['-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1']

/** Sampling after `auto` has been resolved. */
export type FrameSampling = { kind: 'every'; n: number } | { kind: 'fps'; fps: number } | { kind: 'keyframes' }

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
  signal?: AbortSignal
}

/** What toGrayGrid needs to know of the source, when known (see VideoInfo.lumaPlane). */
export interface GraySource {
  width: number
  height: number
  lumaPlane?: 'limited' | 'full'
}

/**
 * Scale and grey conversion, always through an explicit scale filter placed after any select:
 * with a bare `format=gray`, ffmpeg's format negotiation may convert every decoded frame before
 * select drops most of them (measured: 2x slower for every 5th frame at 1080p).
 * When the picture shrinks and the source is planar YUV, the Y plane alone is scaled, with the
 * range change done by the same scaler: the very bytes of the general path (tested), without
 * reading the colour planes (about a fifth less ffmpeg time at 1080p -> 640).
 */
export function toGrayGrid(o: { width: number; height: number; source?: GraySource }): string[] {
  const s = o.source
  if (s?.lumaPlane && (s.width !== o.width || s.height !== o.height)) {
    return ['extractplanes=y', `scale=${o.width}:${o.height}:flags=area:in_range=${s.lumaPlane}:out_range=full`]
  }
  return [`scale=${o.width}:${o.height}:flags=area`, 'format=gray']
}

/**
 * When the picture keeps its size, the Y plane can leave ffmpeg as it is stored: the range
 * change to full-range grey (swscale, ~3 ms a 1080p frame, on the ffmpeg thread that also feeds
 * the decoder threads) is then left to the consumer, which does it in ~0.3 ms (OpenCV). Returns
 * the range the plane is stored in, or null when the general path applies.
 */
export function storedLuma(o: { width: number; height: number; source?: GraySource }): 'limited' | 'full' | null {
  const s = o.source
  return s?.lumaPlane && s.width === o.width && s.height === o.height ? s.lumaPlane : null
}

export function grayDecodeArgs(o: GrayDecodeOptions): string[] {
  const input: string[] = [...QUIET]
  // Keyframes only: the decoder skips every other frame, so this is many times faster. Frame
  // threads only add latency and memory when each frame is independent: one thread is faster.
  if (o.sampling.kind === 'keyframes') input.push('-skip_frame', 'nokey', '-threads', '1')
  if (o.segment) {
    // Seek near the segment, keep the clip's own timestamps, and cut exactly with select, so that
    // neighbouring segments neither share nor miss a frame. The input-side stop (with a second
    // to spare) is what makes ffmpeg stop reading: select alone drops frames but decodes on.
    const seekFrom = Math.max(0, o.segment.from - 1)
    input.push('-ss', seekFrom.toFixed(3), '-copyts')
    if (o.segment.to !== undefined) input.push('-t', (o.segment.to - seekFrom + 1).toFixed(3))
  }
  input.push('-i', o.input, ...FIRST_VIDEO_ONLY)
  const filters: string[] = []
  if (o.segment) {
    const { from, to } = o.segment
    filters.push(`select=gte(t\\,${from})${to === undefined ? '' : `*lt(t\\,${to})`}`)
  }
  // "Every Nth" counts frames from 1 as the article does: frames N, 2N, ... (0-based N-1, 2N-1, ...).
  if (o.sampling.kind === 'every' && o.sampling.n > 1) filters.push(`select=not(mod(n+1\\,${o.sampling.n}))`)
  if (o.sampling.kind === 'fps') filters.push(`fps=${o.sampling.fps}`)
  // The scale passes frames through untouched at the same size; it is there for footage whose
  // rotation only the frames carry (an H.264 orientation flag): ffmpeg turns those upright, and
  // the scale keeps them on the grid as the general path does.
  if (o.acceptStoredLuma && storedLuma(o)) filters.push('extractplanes=y', `scale=${o.width}:${o.height}:flags=area`)
  else filters.push(...toGrayGrid(o))
  // Without passthrough, ffmpeg duplicates frames to keep the input rate after select/skip_frame.
  return [...input, '-vf', filters.join(','), ...RAW_GRAY_TO_STDOUT]
}

/**
 * Calls onFrame for every decoded frame with a buffer that is reused for the next frame:
 * consume it before returning. Resolves with the number of frames delivered.
 */
export function decodeGrayFrames(o: GrayDecodeOptions, onFrame: FrameConsumer): Promise<number> {
  return pipeGrayFrames({ ffmpeg: o.ffmpeg, args: grayDecodeArgs(o), input: o.input, frameSize: o.width * o.height, signal: o.signal }, onFrame)
}

export interface FramePipe {
  ffmpeg: string
  args: string[]
  /** What to name in messages: the clip being decoded. */
  input: string
  frameSize: number
  signal?: AbortSignal
  /** See SpawnOptions.reuseMemory. */
  reuseMemory?: boolean
}

/**
 * What a frame consumer is handed: a buffer that is reused for the next frame. A consumer that
 * returns a promise must have taken what it needs from the buffer before returning (the next
 * frame is read into it meanwhile); the frame after that waits until the promise settles.
 */
export type FrameConsumer = (frame: Uint8Array, index: number) => unknown

/** Runs ffmpeg writing raw grey frames to stdout and hands them over one by one (reused buffer). */
export async function pipeGrayFrames(p: FramePipe, onFrame: FrameConsumer): Promise<number> {
  const { frameSize } = p
  const frame = new Uint8Array(frameSize)
  let filled = 0
  let count = 0
  let callbackError: unknown = null
  /** The consumer's work on the frame before, while this one is read. */
  let previous: Promise<unknown> | null = null
  /** Reading stopped for the consumer: resumes when `previous` is done. */
  let resuming: Promise<void> | null = null
  /** Chunks read and not yet taken into frames (more than one only while the consumer is behind). */
  const unread: Array<{ chunk: Buffer; offset: number }> = []
  const collect = readChunkCollector()
  const { child, done } = spawnTool(p.ffmpeg, p.args, { signal: p.signal, reuseMemory: p.reuseMemory })
  const fail = (err: unknown): void => {
    if (callbackError !== null) return
    callbackError = err
    child.kill()
    // Drain what is left (ignored) so that the pipe closes and the run ends.
    unread.length = 0
    child.stdout.resume()
  }
  const deliver = (): void => {
    const pending = onFrame(frame, count++)
    if (!(pending instanceof Promise)) return
    const settled: Promise<unknown> = pending.then(undefined, fail).then(() => {
      if (previous === settled) previous = null
    })
    previous = settled
  }
  /** Takes the unread bytes into frames; stops reading while the consumer is behind. */
  const take = (): void => {
    while (unread.length > 0 && callbackError === null && resuming === null) {
      const head = unread[0]
      const n = Math.min(frameSize - filled, head.chunk.length - head.offset)
      frame.set(head.chunk.subarray(head.offset, head.offset + n), filled)
      filled += n
      head.offset += n
      if (head.offset === head.chunk.length) unread.shift()
      if (filled < frameSize) continue
      if (previous) {
        // The consumer still works on the frame before: this one waits, and so does reading.
        child.stdout.pause()
        resuming = previous.then(() => {
          resuming = null
          handOver()
          take()
          if (resuming === null) child.stdout.resume()
        })
        return
      }
      handOver()
    }
  }
  const handOver = (): void => {
    if (callbackError !== null) return
    filled = 0
    try {
      deliver()
    } catch (err) {
      fail(err)
    }
  }
  child.stdout.on('data', (chunk: Buffer) => {
    collect(chunk.length)
    // Node resumes a child's output itself when the child exits, so chunks can come while
    // reading is paused: they queue up here.
    unread.push({ chunk, offset: 0 })
    take()
  })
  const exit = await done.then(
    () => null,
    (err: unknown) => err
  )
  // The pipe can close while read frames still wait for the consumer: hand them all over, and
  // let the consumer finish its work (native code on the thread pool) before the caller frees
  // what that work uses.
  for (let waiting = resuming ?? previous; waiting; waiting = resuming ?? previous) await waiting
  if (callbackError !== null) throw callbackError
  if (exit === null) return count
  if (exit instanceof ProcessError && exit.signal !== null && exit.message !== 'cancelled') {
    // Killed from outside (not a bad file): fail the run, so that it resumes from its
    // checkpoint instead of keeping half a clip.
    throw new ProcessError(`the decoder for ${p.input} was stopped (${exit.signal}); run the analysis again to resume`, exit.stderrTail, null, exit.signal)
  }
  if (exit instanceof ProcessError && exit.message !== 'cancelled') {
    // Frames already read are good data: a clip cut short still counts up to where it broke.
    const reason = lastErrorLine(exit.stderrTail)
    if (count === 0) throw new InputError(p.input, `could not be decoded (${reason || exit.message})`)
    throw new InputError(p.input, `decoding stopped after ${count} frames (${reason || exit.message})`)
  }
  throw exit
}

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
      throw new InputError(o.input, `reference frame could not be read (${lastErrorLine(err.stderrTail) || err.message})`)
    }
    throw err
  }
  const data = Buffer.concat(chunks)
  const where = at.kind === 'frame' ? `frame ${at.index}` : `${at.seconds} s`
  if (data.length < o.width * o.height) throw new InputError(o.input, `has no frame at ${where} (the clip is shorter)`)
  return new Uint8Array(data.buffer, data.byteOffset, o.width * o.height)
}
