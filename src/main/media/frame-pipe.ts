// Reads raw grey frames from an ffmpeg run and hands them to a consumer one at a time, through a
// small ring of reused buffers: no frame files, constant memory. A consumer may work on a frame
// asynchronously (the native kernel on libuv's thread pool) while the next ones are read. The
// frames come through a private socket where the platform has one (frame-socket.ts), read
// straight into the ring, else through ffmpeg's stdout.
import type { Readable } from 'node:stream'
import { readChunkCollector } from '../runtime/read-chunk-garbage'
import { startFrameDecoder, type FrameDecoder } from './frame-decoder'
import type { FrameSocket } from './frame-socket'
import { lastErrorLine, ProcessError } from './processes'
import { InputError } from './probe'

export interface FramePipe {
  ffmpeg: string
  args: string[]
  /** What to name in messages: the clip being decoded. */
  input: string
  frameSize: number
  signal?: AbortSignal
  /** See SpawnOptions.reuseMemory. */
  reuseMemory?: boolean
  /** The ffmpeg run of these arguments, started earlier; its frames wait till read. */
  started?: FrameDecoder | Promise<FrameDecoder>
  /** For a run over several clips: the clip the frame after `count` comes from, and how many of
   *  its frames came before (messages name that clip instead of `input`). */
  inputAt?: (count: number) => { input: string; frames: number }
}

/**
 * What a frame consumer is handed: a buffer that is reused for later frames. A consumer that
 * returns a promise must have taken what it needs from the buffer before returning (later frames
 * are read meanwhile); the frame after it waits until the promise settles.
 */
export type FrameConsumer = (frame: Uint8Array, index: number) => unknown

/**
 * Frames read ahead while the consumer works: two let ffmpeg write the next frame while one
 * waits. Frame k is read into buffer k % RING: when reading stops for want of room, the buffer
 * the socket resumes into is the one handed over first, free by then.
 */
const RING = 2

/** Runs ffmpeg writing raw grey frames and hands them over one by one (reused buffers). */
export async function pipeGrayFrames(p: FramePipe, onFrame: FrameConsumer): Promise<number> {
  const { frameSize } = p
  const decoder = await (p.started ?? startFrameDecoder(p.ffmpeg, p.args, { signal: p.signal, reuseMemory: p.reuseMemory }))
  const { child, done } = decoder.tool
  const buffers: Uint8Array[] = []
  const bufferOf = (frame: number): Uint8Array => (buffers[frame % RING] ??= new Uint8Array(frameSize))
  /** Frames read whole, frames handed over, bytes read of the frame after the last whole one. */
  let written = 0
  let handed = 0
  let filled = 0
  let callbackError: unknown = null
  /** The consumer's work on the frame before, while later ones are read. */
  let previous: Promise<unknown> | null = null
  const ring: RingAccess = {
    // After a failure the rest is read into any buffer and dropped, so that the run ends.
    target: () => (callbackError === null ? bufferOf(written).subarray(filled) : bufferOf(written)),
    advance: (n) => {
      if (callbackError !== null) return
      filled += n
      if (filled < frameSize) return
      filled = 0
      written++
      pump()
    },
    room: () => callbackError !== null || written - handed < RING,
    failed: () => callbackError !== null
  }
  /** Hands the frames read over while the consumer is free. */
  const pump = (): void => {
    while (previous === null && handed < written && callbackError === null) handOver(bufferOf(handed), handed++)
  }
  /** Gives the consumer a full frame; an async consumer's work becomes `previous`. */
  const handOver = (frame: Uint8Array, index: number): void => {
    let pending: unknown
    try {
      pending = onFrame(frame, index)
    } catch (err) {
      return fail(err)
    }
    if (!(pending instanceof Promise)) return
    const settled: Promise<unknown> = pending.then(undefined, fail).then(() => {
      if (previous !== settled) return
      previous = null
      pump()
      source.readMore()
    })
    previous = settled
  }
  const fail = (err: unknown): void => {
    if (callbackError !== null) return
    callbackError = err
    child.kill()
    source.readMore()
  }
  const source = decoder.socket === null ? pipeSource(decoder.tool.child.stdout, ring) : socketSource(decoder.socket, ring)
  const [exit] = await Promise.all([done.then(() => null, (err: unknown) => err), source.ended])
  // The pipe can close while read frames still wait for the consumer: hand them all over, and
  // let the consumer finish its work (native code on the thread pool) before the caller frees
  // what that work uses.
  while (previous !== null) await previous
  if (callbackError !== null) throw callbackError
  if (exit === null) return handed
  const at = p.inputAt?.(handed) ?? { input: p.input, frames: handed }
  const stopped = exit instanceof ProcessError && exit.message !== 'cancelled' ? stoppedBy(exit) : null
  if (exit instanceof ProcessError && stopped !== null) {
    // Killed from outside (not a bad file): fail the run, so that it resumes from its
    // checkpoint instead of keeping half a clip.
    throw new ProcessError(`the decoder for ${at.input} was stopped (${stopped}); run the analysis again to resume`, exit.stderrTail, null, exit.signal ?? stopped)
  }
  if (exit instanceof ProcessError && exit.message !== 'cancelled') {
    // Frames already read are good data: a clip cut short still counts up to where it broke.
    const reason = lastErrorLine(exit.stderrTail)
    if (at.frames === 0) throw new InputError(at.input, `could not be decoded (${reason || exit.message})`)
    throw new InputError(at.input, `decoding stopped after ${at.frames} frames (${reason || exit.message})`)
  }
  throw exit
}

/** ffmpeg's exit code after SIGINT or SIGTERM, which it catches to close its files. */
const FFMPEG_SIGNALLED_EXIT = 255

/** The signal that stopped a decoder from outside (shutdown, a supervisor, Ctrl-C), or null. */
function stoppedBy(exit: ProcessError): string | null {
  if (exit.signal !== null) return exit.signal
  return exit.code === FFMPEG_SIGNALLED_EXIT ? 'a signal' : null
}

/** The ring as a source fills it. */
interface RingAccess {
  /** Where the next bytes go: the rest of the frame being read. */
  target(): Uint8Array
  /** `n` more bytes were read into the target. */
  advance(n: number): void
  /** Whether a buffer is free to read into (or the run failed and reads are dropped). */
  room(): boolean
  failed(): boolean
}

interface FrameSource {
  /** Reads on if it stopped for want of room. */
  readMore(): void
  /** Settles when the last byte was read. */
  ended: Promise<void>
}

/** Frames read from the socket straight into the ring. */
function socketSource({ reader, setSink }: FrameSocket, ring: RingAccess): FrameSource {
  setSink({
    into: ring.target,
    read: (n) => {
      ring.advance(n)
      return ring.room()
    }
  })
  const ended = new Promise<void>((resolve) => reader.once('close', () => resolve()))
  // A broken connection ends the frames; ffmpeg's exit says why.
  reader.on('error', () => {})
  reader.resume()
  // A read callback returning false stops the reading without marking the stream paused: resume
  // whenever there is room (a no-op while it reads).
  return { ended, readMore: () => ring.room() && reader.resume() }
}

/** Frames copied from the chunks Node reads from ffmpeg's stdout. */
function pipeSource(stdout: Readable, ring: RingAccess): FrameSource {
  /** Chunks read and not yet taken into frames (more than one only while the consumer is behind). */
  const unread: Array<{ chunk: Buffer; offset: number }> = []
  const collect = readChunkCollector()
  const take = (): void => {
    if (ring.failed()) unread.length = 0
    while (unread.length > 0 && ring.room()) {
      const head = unread[0]
      const target = ring.target()
      const n = Math.min(target.length, head.chunk.length - head.offset)
      target.set(head.chunk.subarray(head.offset, head.offset + n))
      head.offset += n
      if (head.offset === head.chunk.length) unread.shift()
      ring.advance(n)
    }
    if (!ring.room()) stdout.pause()
  }
  stdout.on('data', (chunk: Buffer) => {
    collect(chunk.length)
    // Node resumes a child's output itself when the child exits, so chunks can come while
    // reading is paused: they queue up here.
    unread.push({ chunk, offset: 0 })
    take()
  })
  const ended = new Promise<void>((resolve) => stdout.once('close', () => resolve()))
  return {
    ended,
    readMore: () => {
      take()
      if (ring.room() && stdout.isPaused()) stdout.resume()
    }
  }
}
