// The first decode tasks' ffmpeg runs, started before the reference is ready: their start-up
// (~0.35 s to the first frame of the bench clip) then overlaps the reference's own work instead of
// following it: the median and ghost removal of the automatic empty scene (0.23-0.24 s of
// TypeScript on one core, no ffmpeg running), or the ffmpeg run that reads a chosen reference
// frame. Their frames wait in the socket (or pipe) until the tasks read them.
import { startGrayDecode, type GrayDecodeOptions } from '../media/gray-frames'
import type { FrameDecoder } from '../media/frame-decoder'
import type { DecodeTask } from './decode-plan'

export interface EarlyDecoder {
  /** Starts the tasks' ffmpeg runs (once; nothing when not allowed). Settles when they are
   *  spawned (or failed to be): a caller about to block the event loop awaits it first, since
   *  setting up a run's socket takes a few turns of the loop. Never rejects: a run that could not
   *  start is its task's to report. */
  start(): Promise<void>
  /** The started run, if it is this task's; handed out once. */
  take(task: DecodeTask): Promise<FrameDecoder> | undefined
  /** Stops the runs nobody took (the analysis failed before reading them). */
  dispose(): void
}

/**
 * `tasks`: those that run first (at most one per decoder slot). `allowed`: only a run with nothing
 * to resume may start early (which tasks are done is known only once the reference is, the
 * checkpoint's key depending on it).
 */
export function earlyDecoder(tasks: DecodeTask[], options: (task: DecodeTask) => GrayDecodeOptions, allowed: boolean): EarlyDecoder {
  const started = new Map<DecodeTask, Promise<FrameDecoder>>()
  let starting = allowed
  return {
    start: async () => {
      if (!starting) return
      starting = false
      for (const task of tasks) started.set(task, startGrayDecode(options(task)))
      await Promise.allSettled(started.values())
    },
    take: (task) => {
      const decoder = started.get(task)
      started.delete(task)
      return decoder
    },
    dispose: () => {
      // A run that could not start has nothing to stop (its task, had it run, would have said why).
      for (const decoder of started.values()) void decoder.then((d) => d.stop(), () => {})
      started.clear()
    }
  }
}
