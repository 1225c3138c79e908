// The first decode task's ffmpeg, started before the reference is ready. ffmpeg's start-up
// (~0.35 s to the first frame of the bench clip) then overlaps the median and ghost removal of the
// automatic empty scene (0.23-0.24 s of TypeScript on one core, no ffmpeg running) instead of
// following it. Its frames wait in the pipe (or socket) until the task reads them.
import { startGrayDecode, type GrayDecodeOptions } from '../media/gray-frames'
import type { FrameDecoder } from '../media/frame-pipe'
import type { DecodeTask } from './decode-plan'

export interface EarlyDecoder {
  /** Starts the task's ffmpeg (once; nothing when not allowed). */
  start(): void
  /** The started run, if it is this task's; handed out once. */
  take(task: DecodeTask): Promise<FrameDecoder> | undefined
  /** Stops a run nobody took (the analysis failed before reading it). */
  dispose(): void
}

/** `allowed`: only a run with nothing to resume may start early (which tasks are done is known
 *  only once the reference is, the checkpoint's key depending on it). */
export function earlyDecoder(task: DecodeTask, options: () => GrayDecodeOptions, allowed: boolean): EarlyDecoder {
  let tool: Promise<FrameDecoder> | null = null
  let started = false
  return {
    start: () => {
      if (!allowed || started) return
      started = true
      tool = startGrayDecode(options())
    },
    take: (t) => {
      if (t !== task || !tool) return undefined
      const taken = tool
      tool = null
      return taken
    },
    dispose: () => {
      void tool?.then((decoder) => decoder.stop())
      tool = null
    }
  }
}
