// Many moments of a day in one ffmpeg run: the keyframe at or before each moment. One run per
// moment costs ffmpeg's start-up (~0.4 s here) each time; one run over a concat list of short
// pieces costs a clip open, a seek and one keyframe decode per moment (~25-45 ms at 1080p; the
// open decodes the clip's first frame to probe it). The list goes in as a data: URL, so no list
// file is written anywhere.
import { concatFileLine } from './concat-list'
import { pipeGrayFrames } from './frame-pipe'
import { FIRST_VIDEO_ONLY, QUIET, RAW_GRAY_TO_STDOUT, keyframeDecoding } from './ffmpeg-args'
import { toGrayGrid, type GraySource } from './gray-frames'
import { InputError } from './probe'

export interface Moment {
  input: string
  /** Seconds on the clip's own timeline (container start time included). */
  seconds: number
}

export interface KeyframesNearOptions {
  ffmpeg: string
  width: number
  height: number
  /** Size and luma layout of the clips (all of one camera), when known. */
  source?: GraySource
  /** See skipsLoopFilter. */
  skipLoopFilter?: boolean
  signal?: AbortSignal
}

/** A concat demuxer script: one piece per moment, each ending just after its start; null when
 *  a clip's path cannot be written into a script. */
export function concatScript(moments: Moment[]): string | null {
  const pieces: string[] = []
  for (const m of moments) {
    const file = concatFileLine(m.input)
    if (file === null) return null
    pieces.push(`${file}\ninpoint ${m.seconds.toFixed(3)}\noutpoint ${(m.seconds + 0.04).toFixed(3)}\n`)
  }
  return pieces.join('')
}

export function keyframesNearArgs(moments: Moment[], o: KeyframesNearOptions): string[] {
  const script = concatScript(moments)
  if (script === null) throw new InputError(moments.find((m) => concatFileLine(m.input) === null)!.input, 'has a line break in its name')
  const url = 'data:text/plain;base64,' + Buffer.from(script).toString('base64')
  // Pieces restart their clocks; the raw output only needs the order.
  const filters = ['setpts=N', ...toGrayGrid(o)]
  return [
    ...QUIET, '-protocol_whitelist', 'data,file', '-skip_frame', 'nokey', ...keyframeDecoding(1, o.skipLoopFilter),
    '-f', 'concat', '-safe', '0', '-i', url, ...FIRST_VIDEO_ONLY, '-vf', filters.join(','), ...RAW_GRAY_TO_STDOUT
  ]
}

/**
 * The keyframe at or just before each moment, in order. The concat demuxer cuts pieces by decode
 * time, so a keyframe shown just after a moment (within the decoder's reordering delay) comes
 * too, and moments within one keyframe gap give the same frame twice: callers that need a set
 * of different frames check for it.
 */
export async function keyframesNear(moments: Moment[], o: KeyframesNearOptions): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = []
  const input = moments.length > 0 ? moments[0].input : '(no clip)'
  await pipeGrayFrames(
    { ffmpeg: o.ffmpeg, args: keyframesNearArgs(moments, o), input, frameSize: o.width * o.height, signal: o.signal, reuseMemory: true },
    (frame) => frames.push(Uint8Array.from(frame))
  )
  return frames
}
