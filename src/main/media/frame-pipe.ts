// Reads raw grey frames from an ffmpeg run's stdout and hands them to a consumer one at a time,
// in one reused buffer: no frame files, constant memory. A consumer may work on a frame
// asynchronously (the native kernel on libuv's thread pool) while the next one is read.
import { readChunkCollector } from '../runtime/read-chunk-garbage'
import { lastErrorLine, ProcessError, spawnTool, type SpawnedTool } from './processes'
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
  /** The ffmpeg run of these arguments, started earlier; its frames wait in the pipe till read. */
  started?: SpawnedTool
  /** For a run over several clips: the clip the frame after `count` comes from, and how many of
   *  its frames came before (messages name that clip instead of `input`). */
  inputAt?: (count: number) => { input: string; frames: number }
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
  const { child, done } = p.started ?? spawnTool(p.ffmpeg, p.args, { signal: p.signal, reuseMemory: p.reuseMemory })
  const fail = (err: unknown): void => {
    if (callbackError !== null) return
    callbackError = err
    child.kill()
    // Drain what is left (ignored) so that the pipe closes and the run ends.
    unread.length = 0
    child.stdout.resume()
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
  /** Gives the consumer the full frame; an async consumer's work becomes `previous`. */
  const handOver = (): void => {
    if (callbackError !== null) return
    filled = 0
    let pending: unknown
    try {
      pending = onFrame(frame, count++)
    } catch (err) {
      return fail(err)
    }
    if (!(pending instanceof Promise)) return
    const settled: Promise<unknown> = pending.then(undefined, fail).then(() => {
      if (previous === settled) previous = null
    })
    previous = settled
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
  const at = p.inputAt?.(count) ?? { input: p.input, frames: count }
  if (exit instanceof ProcessError && exit.signal !== null && exit.message !== 'cancelled') {
    // Killed from outside (not a bad file): fail the run, so that it resumes from its
    // checkpoint instead of keeping half a clip.
    throw new ProcessError(`the decoder for ${at.input} was stopped (${exit.signal}); run the analysis again to resume`, exit.stderrTail, null, exit.signal)
  }
  if (exit instanceof ProcessError && exit.message !== 'cancelled') {
    // Frames already read are good data: a clip cut short still counts up to where it broke.
    const reason = lastErrorLine(exit.stderrTail)
    if (at.frames === 0) throw new InputError(at.input, `could not be decoded (${reason || exit.message})`)
    throw new InputError(at.input, `decoding stopped after ${at.frames} frames (${reason || exit.message})`)
  }
  throw exit
}
