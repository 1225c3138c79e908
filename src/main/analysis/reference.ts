// The picture of the empty scene every frame is compared with: a chosen frame, an image file,
// or a median background built from the day itself, with its ghosts removed.
import type { Reference } from '../../shared/settings'
import { extractGrayFrame } from '../media/gray-frames'
import type { VideoInfo } from '../media/probe'
import { InputError } from '../media/probe'
import { medianImage, removeGhosts, spreadSampleTimes } from './background'

export interface Grid {
  width: number
  height: number
}

export interface ReferenceContext {
  ffmpeg: string
  clips: VideoInfo[]
  grid: Grid
  signal?: AbortSignal
}

/** How many frames the automatic background is built from. */
export const BACKGROUND_SAMPLES = 31

function frameOptions(ctx: ReferenceContext, clip: VideoInfo) {
  return {
    ffmpeg: ctx.ffmpeg,
    input: clip.path,
    width: ctx.grid.width,
    height: ctx.grid.height,
    sourceWidth: clip.width,
    sourceHeight: clip.height,
    signal: ctx.signal
  }
}

/** Reads any image ffmpeg understands at the grid size (references and masks). */
export function readImageAtGrid(ctx: Omit<ReferenceContext, 'clips'>, path: string): Promise<Uint8Array> {
  const { ffmpeg, grid, signal } = ctx
  return extractGrayFrame({ ffmpeg, input: path, width: grid.width, height: grid.height, signal }, { kind: 'frame', index: 0 })
}

/** Finds the clip holding a moment of the day, counting clips end to end. */
function locateTime(clips: VideoInfo[], seconds: number): { clip: VideoInfo; seconds: number } {
  let t = seconds
  for (const clip of clips) {
    const d = clip.durationSeconds
    if (d === null || t < d) return { clip, seconds: t }
    t -= d
  }
  throw new InputError(clips.at(-1)!.path, `the day is shorter than ${seconds} s, so there is no reference frame there`)
}

export async function loadReference(ref: Reference, ctx: ReferenceContext): Promise<Uint8Array> {
  const first = ctx.clips[0]
  switch (ref.kind) {
    case 'frame':
      return extractGrayFrame(frameOptions(ctx, first), { kind: 'frame', index: ref.index })
    case 'time': {
      const at = locateTime(ctx.clips, ref.seconds)
      return extractGrayFrame(frameOptions(ctx, at.clip), { kind: 'time', seconds: at.seconds })
    }
    case 'image':
      return readImageAtGrid(ctx, ref.path).catch((err: unknown) => {
        throw err instanceof InputError ? new InputError(ref.path, 'is not an image that can be read as the reference') : err
      })
    case 'auto':
      return buildBackground(ctx)
  }
}

async function buildBackground(ctx: ReferenceContext): Promise<Uint8Array> {
  const durations = ctx.clips.map((c) => c.durationSeconds ?? 0)
  const size = ctx.grid.width * ctx.grid.height
  if (durations.every((d) => d === 0)) {
    // No durations (raw streams): fall back to the first frame rather than guess.
    return extractGrayFrame(frameOptions(ctx, ctx.clips[0]), { kind: 'frame', index: 0 })
  }
  const times = spreadSampleTimes(durations, BACKGROUND_SAMPLES)
  const frames: Uint8Array[] = []
  // Two seeks at a time: each is one short ffmpeg run, mostly waiting on a keyframe decode.
  for (let i = 0; i < times.length; i += 2) {
    const batch = times.slice(i, i + 2).map(({ clip, seconds }) =>
      extractGrayFrame(frameOptions(ctx, ctx.clips[clip]), { kind: 'time', seconds }).then((f) => Uint8Array.from(f)).catch(() => null)
    )
    for (const f of await Promise.all(batch)) if (f) frames.push(f)
  }
  if (ctx.signal?.aborted) throw new Error('cancelled')
  if (frames.length === 0) throw new InputError(ctx.clips[0].path, 'no frame could be read to build the empty scene')
  // The median, then the people it kept where they stood most of the day, taken out again.
  return removeGhosts(frames, medianImage(frames, size), ctx.grid.width, ctx.grid.height)
}
