// One ffmpeg for the automatic empty scene's keyframes and then the first decode task's own: the
// worker feeds the picked keyframes first (fed-keyframes.ts) and goes straight on with the
// task's, so the day's first ffmpeg start (~0.25 s with Debian's ffmpeg) is paid once, the
// picked keyframes are decoded once, and the decoder keeps working while the median is computed.
// The task's frames that come before the empty scene is ready wait in a short queue.
import { decodeFedKeyframes, type FedClip, type FedDecodeOptions } from '../media/fed-keyframes'
import { deliveredLuma } from '../media/gray-frames'
import { expandedLimitedLuma } from '../media/luma-range'
import type { IndexReader } from '../media/mp4-keyframes'
import type { DecodeTask } from './decode-plan'
import type { FrameKind } from './kernels/kernel'

/** Decodes the keyframes an empty scene is picked from; null when `enough` says the frames are
 *  too few to use (see reference.ts). */
export type PickedDecoder = (picked: FedClip[], options: FedDecodeOptions, enough: (frames: Uint8Array[]) => boolean) => Promise<Uint8Array[] | null>

/** The picked keyframes in an ffmpeg of their own. */
export const decodePickedAlone: PickedDecoder = async (picked, options, enough) => {
  const frames: Uint8Array[] = []
  await decodeFedKeyframes(options, picked, (frame) => frames.push(Uint8Array.from(frame))).catch((err: unknown) => {
    if (options.signal?.aborted) throw err
  })
  return enough(frames) ? frames : null
}

/** `kind`: given for frames that are not what the task's decoder delivers (expanded already). */
export type TaskFrameSink = (frame: Uint8Array, clipIndex: number, seconds: number, kind?: FrameKind) => unknown

export interface SharedKeyframeDecoder {
  /** The task whose keyframes follow the picked ones. */
  readonly task: DecodeTask
  /** The PickedDecoder for the empty scene: starts the shared ffmpeg. */
  decodePicked: PickedDecoder
  /**
   * Runs the task on the shared ffmpeg, once the empty scene is ready: its picked keyframes, its
   * queued frames, then the rest as they come, all to `add` (one at a time, as a frame pipe
   * hands them). False when the ffmpeg never went on to the task (not started, or it stopped
   * before the picked frames were in): the task is then decoded as usual.
   */
  accumulate(add: TaskFrameSink): Promise<boolean>
  /** Stops the ffmpeg if the task never took it (the analysis failed before). */
  dispose(): void
}

/** Frames of the task queued before the empty scene is ready, beyond which the decoder waits.
 *  During the median and ghost search (~0.25 s) the two cores are busy anyway: 24 queued frames
 *  bought no time over none (six interleaved rounds, bench clip) and kept ~5 MB more in the
 *  worker, close to the 250 MB target; a few let the decoder finish the frames it has in hand. */
const QUEUE_FRAMES = 8

interface HeldFrame {
  frame: Uint8Array
  seconds: number
  kind?: FrameKind
}

/**
 * `task`: a whole H.264/HEVC MP4/MOV clip (at `clipPath`) read through its index. `options`: the
 * task's decoder (its threads, grid and source). Where it delivers limited-range luma, the
 * picked keyframes are expanded to full-range grey as they are copied for the empty scene, and
 * the task's own among them reach the kernel as such. Anything unexpected (another codec among
 * the picked clips, an unreadable index) decodes the picked keyframes alone.
 */
export function sharedKeyframeDecoder(task: DecodeTask, clipPath: string, options: FedDecodeOptions, readIndex: IndexReader): SharedKeyframeDecoder {
  const stop = new AbortController()
  /** The task's own picked keyframes (copies), then its frames queued while the scene is built. */
  const held: HeldFrame[] = []
  /** How many of `held` are queued frames (the picked ones do not count against the queue). */
  let queued = 0
  let sink: ((frame: Uint8Array, seconds: number) => unknown) | null = null
  let release: (() => void) | null = null
  /** Stops the ffmpeg. Its frames are read on and dropped: one blocked on a full socket would
   *  not see its stop signal (ffmpeg finishes the write it is in first). */
  const abandon = (): void => {
    sink = () => {}
    held.length = 0
    queued = 0
    release?.()
    release = null
    stop.abort()
  }
  const onAbort = (): void => abandon()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const own = { ...options, signal: stop.signal }
  // The empty scene takes full-range grey: limited-range luma is expanded as it is copied, and
  // the kernel told so when it gets those copies.
  const limited = deliveredLuma(options) === 'limited'
  const copyPicked = limited ? expandedLimitedLuma : (frame: Uint8Array) => Uint8Array.from(frame)
  const pickedKind: FrameKind | undefined = limited ? 'gray' : undefined
  let decoding: Promise<unknown> | null = null
  let wentOn = false
  let taken = false

  const decodePicked: PickedDecoder = async (picked, pickedOptions, enough) => {
    const index = await readIndex(clipPath).catch(() => null)
    if (decoding || !index || picked.some((p) => p.index.codec !== index.codec)) return decodePickedAlone(picked, pickedOptions, enough)
    const pickedHere = new Set(picked.filter((p) => p.path === clipPath).flatMap((p) => p.index.keyframes.map((k) => k.offset)))
    const rest: FedClip = { path: clipPath, index: { ...index, keyframes: index.keyframes.filter((k) => !pickedHere.has(k.offset)) } }
    const frames: Uint8Array[] = []
    const expected = picked.reduce((a, p) => a + p.index.keyframes.length, 0)
    let answer!: (frames: Uint8Array[] | null) => void
    let refuse!: (err: unknown) => void
    const answered = new Promise<Uint8Array[] | null>((resolve, reject) => {
      answer = resolve
      refuse = reject
    })
    let answeredYet = false
    /** The picked frames are in (`stopped`: the decoder stopped before the task's frames). */
    const pickedDone = (stopped: boolean): void => {
      if (answeredYet) return
      answeredYet = true
      const ok = enough(frames)
      wentOn = ok && !stopped
      // Too few to use: the empty scene is found another way, and the task decodes as usual.
      if (!wentOn) abandon()
      answer(ok ? frames : null)
    }
    decoding = decodeFedKeyframes({ ...own, onSpawned: pickedOptions.onSpawned, warm: pickedOptions.warm }, [...picked, rest], (frame, from) => {
      if (from.clip < picked.length) {
        const copy = copyPicked(frame)
        frames.push(copy)
        if (picked[from.clip].path === clipPath) held.push({ frame: copy, seconds: from.seconds, kind: pickedKind })
        if (frames.length === expected) pickedDone(false)
        return
      }
      // A damaged picked keyframe is left out: the task's first frame then says they are all in.
      pickedDone(false)
      if (sink) return sink(frame, from.seconds)
      held.push({ frame: Uint8Array.from(frame), seconds: from.seconds })
      if (++queued >= QUEUE_FRAMES) return new Promise<void>((resolve) => (release = resolve))
    })
    decoding.then(
      // All of the task's keyframes were picked ones, or damaged: they are all in `held`.
      () => pickedDone(false),
      (err: unknown) => {
        if (options.signal?.aborted) refuse(err)
        pickedDone(true)
      }
    )
    return answered
  }

  return {
    task,
    decodePicked,
    accumulate: async (add) => {
      taken = true
      if (!decoding || !wentOn) return false
      // Frames keep coming while the held ones are added: they join the queue until it is empty.
      while (held.length > 0) {
        const { frame, seconds, kind } = held.shift()!
        await add(frame, task.clipIndex, seconds, kind)
      }
      sink = (frame, seconds) => add(frame, task.clipIndex, seconds)
      queued = 0
      release?.()
      release = null
      try {
        await decoding
      } finally {
        options.signal?.removeEventListener('abort', onAbort)
      }
      return true
    },
    dispose: () => {
      options.signal?.removeEventListener('abort', onAbort)
      if (!taken) abandon()
    }
  }
}
