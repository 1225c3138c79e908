// The keyframes of several H.264 (or HEVC) MP4/MOV clips decoded by one ffmpeg: the worker reads each
// keyframe's bytes itself (mp4-keyframes.ts) and writes them, as one Annex B stream, to ffmpeg's
// stdin. A day of short clips then costs one ffmpeg start and one decoder set-up instead of one
// per clip (Debian's ffmpeg: ~0.25 s each; 10 one-minute clips 4.5 s -> 2.3 s, same frames).
import { open } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { fedDecoderArgs } from './ffmpeg-args'
import { startFrameDecoder } from './frame-decoder'
import { pipeGrayFrames } from './frame-pipe'
import { gridFilters, type GrayDecodeOptions } from './gray-frames'
import { toAnnexB, type Mp4Keyframes } from './mp4-keyframes'
import { InputError } from './probe'
import type { WarmFedDecoder } from './warm-fed-decoder'

export interface FedClip {
  path: string
  index: Mp4Keyframes
}

/** Where a decoded frame comes from: the clip (its position in the list) and its time in it. */
export interface FedFrameSource {
  clip: number
  seconds: number
}

export type FedDecodeOptions = Pick<GrayDecodeOptions, 'ffmpeg' | 'width' | 'height' | 'source' | 'acceptStoredLuma' | 'threads' | 'skipLoopFilter' | 'signal'> & {
  /** Called once ffmpeg is spawned: its start and first frames take a while, free for other work. */
  onSpawned?: () => void
  /** An ffmpeg started earlier, used if it has this decoder's shape (warm-fed-decoder.ts). */
  warm?: WarmFedDecoder | null
}

/**
 * Decodes the keyframes of the clips, in order, and hands each frame over (reused buffer, as
 * pipeGrayFrames does) with where it comes from. A keyframe whose bytes are damaged (its NAL unit
 * lengths do not add up) is left out, so the frames after it keep their times. Resolves with the
 * number of frames handed over; a failing ffmpeg rejects as pipeGrayFrames does, naming the
 * clip of the frame that did not come.
 */
export async function decodeFedKeyframes(
  o: FedDecodeOptions,
  clips: FedClip[],
  onFrame: (frame: Uint8Array, from: FedFrameSource) => unknown
): Promise<number> {
  const codec = clips[0].index.codec
  // One bare stream holds one codec: callers group clips by codec.
  if (clips.some((c) => c.index.codec !== codec)) throw new Error('clips of different codecs cannot share a decoder')
  const threads = o.threads ?? 1
  const filters = gridFilters(o).join(',')
  const skipLoopFilter = o.skipLoopFilter ?? false
  const decoder = await (o.warm?.take({ ffmpeg: o.ffmpeg, codec, threads, skipLoopFilter }, filters, o.signal) ??
    startFrameDecoder(o.ffmpeg, fedDecoderArgs(codec, threads, filters, skipLoopFilter), { signal: o.signal, stdin: true }))
  o.onSpawned?.()
  const { stdin } = decoder.tool.child
  const fed: FedFrameSource[] = []
  const feeding = feed(stdin!, clips, fed)
  // The clip of the frame after `count`, and how many of its frames came before it.
  const inputAt = (count: number): { input: string; frames: number } => {
    const clip = fed[count]?.clip ?? fed.at(-1)?.clip ?? 0
    return { input: clips[clip].path, frames: fed.slice(0, count).filter((f) => f.clip === clip).length }
  }
  let delivered = 0
  let frames: number
  try {
    frames = await pipeGrayFrames(
      { ffmpeg: o.ffmpeg, args: [], input: clips[0].path, frameSize: o.width * o.height, signal: o.signal, started: decoder, inputAt },
      (frame) => onFrame(frame, fed[delivered++] ?? fed[fed.length - 1])
    )
  } finally {
    stdin?.destroy()
  }
  const unread = await feeding
  if (unread) throw new InputError(unread.path, `could not be read (${unread.reason})`)
  return frames
}

/**
 * Writes the clips' keyframes to the decoder, noting each one's source in `fed` as it goes.
 * Resolves with the clip that could not be read, if one could not (the frames before it stand).
 */
async function feed(stdin: Writable, clips: FedClip[], fed: FedFrameSource[]): Promise<{ path: string; reason: string } | null> {
  // A decoder that stops early closes its end: the write error only means "stop feeding".
  stdin.on('error', () => {})
  // Each write is awaited until handed to the system, so one buffer serves every keyframe
  // (a fresh one per keyframe cost the worker ~10 MB more at its peak: 60 one-minute 1080p clips).
  let buffer = Buffer.alloc(0)
  const write = (bytes: Uint8Array): Promise<void> =>
    new Promise<void>((resolve) => {
      if (stdin.destroyed) return resolve()
      stdin.write(bytes, () => resolve())
    })
  let path = ''
  try {
    for (const [c, clip] of clips.entries()) {
      path = clip.path
      const fh = await open(clip.path, 'r')
      try {
        await write(clip.index.parameterSets)
        for (const k of clip.index.keyframes) {
          if (stdin.destroyed) return null
          if (buffer.length < k.size) buffer = Buffer.allocUnsafe(k.size * 2)
          const sample = buffer.subarray(0, k.size)
          const { bytesRead } = await fh.read(sample, 0, k.size, k.offset)
          const stream = bytesRead === k.size ? toAnnexB(sample, clip.index.lengthSize) : null
          if (!stream) continue
          fed.push({ clip: c, seconds: k.seconds })
          await write(stream)
        }
      } finally {
        await fh.close()
      }
    }
    return null
  } catch (err) {
    return { path, reason: err instanceof Error ? err.message : String(err) }
  } finally {
    if (!stdin.destroyed) stdin.end()
  }
}
