// The picture of the empty scene every frame is compared with: a chosen frame, an image file,
// or a median background built from the day itself, with its ghosts removed.
import { createHash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { describeReference, type Reference } from '../../shared/settings'
import { extractGrayFrame, extractGrayFramesAt, FrameUnreadable } from '../media/gray-frames'
import type { FedClip } from '../media/fed-keyframes'
import { keyframesNear } from '../media/keyframes-near'
import { keyframeAtOrBefore, readMp4Keyframes, type IndexReader } from '../media/mp4-keyframes'
import type { VideoInfo } from '../media/probe'
import { sameStreamKind } from '../../shared/video-info'
import type { WarmFedDecoder } from '../media/warm-fed-decoder'
import { checkReadable, InputError } from '../media/probe'
import { pngSize } from '../results/png-size'
import { ghostRemovalSteps, inTurns, medianSteps, spreadSampleTimes } from './background'
import type { GhostToolsMaker } from './change-regions'
import { indexFeedable } from './decode-plan'
import { decodePickedAlone, type PickedDecoder } from './shared-keyframe-decoder'

export interface Grid {
  width: number
  height: number
}

export interface ReferenceContext {
  ffmpeg: string
  clips: VideoInfo[]
  grid: Grid
  signal?: AbortSignal
  /** Keyframe-only decodes leave out the deblocking filter, as the run's own do (skipsLoopFilter). */
  skipLoopFilter?: boolean
  /**
   * Called when the first decoders may start: at once for a reference that is one frame or an
   * image (its short read runs beside them), and for the automatic background once its frames are
   * read and only computing is left (no ffmpeg runs then, and one core idles; one ffmpeg at a time
   * keeps the default analysis's memory down). Settles once they are spawned.
   */
  decodersMayStart?: () => Promise<void>
  /** Mean keyframe spacing (s) of the footage, when known: tells what an exact seek costs. */
  keyframeGap?: number | null
  /** Reads a clip's MP4 index (an analysis's store hands out those its probes read). */
  readIndex?: IndexReader
  /** Decodes the keyframes picked from the clips' indexes (default: in an ffmpeg of their own;
   *  see shared-keyframe-decoder.ts). */
  decodePicked?: PickedDecoder
  /** The ghost search's blur and change finder (default: the TypeScript ones). */
  ghostTools?: GhostToolsMaker
  /**
   * Called when the empty scene's keyframes are being decoded from the clips' indexes and the
   * worker only waits for them (~0.3 s: ffmpeg's start and the first frames): the time to load
   * what the analysis needs next.
   */
  meanwhile?: () => void
  /** An ffmpeg started before the job (media/warm-fed-decoder.ts), for the decoder of the keyframes
   *  picked from the indexes only: any other way to the frames stops it first. */
  warm?: WarmFedDecoder | null
}

/** How many frames the automatic background is built from. */
export const BACKGROUND_SAMPLES = 31

function frameOptions(ctx: ReferenceContext, clip: VideoInfo) {
  return {
    ffmpeg: ctx.ffmpeg,
    input: clip.path,
    width: ctx.grid.width,
    height: ctx.grid.height,
    source: clip,
    signal: ctx.signal
  }
}

/** Reads any image ffmpeg understands at the grid size (references and masks). */
export async function readImageAtGrid(ctx: Omit<ReferenceContext, 'clips'>, path: string, role: 'reference' | 'mask'): Promise<Uint8Array> {
  const { ffmpeg, grid, signal } = ctx
  await checkReadable(path)
  await checkShape(path, role, grid)
  return extractGrayFrame({ ffmpeg, input: path, width: grid.width, height: grid.height, signal }, { kind: 'frame', index: 0 }).catch((err: unknown) => {
    throw err instanceof InputError ? new InputError(path, `is not an image that can be read as the ${role}`) : err
  })
}

/** How far an image's width-to-height ratio may be from the picture's (the grid rounds its height). */
const SHAPE_TOLERANCE = 0.02

/**
 * A PNG of another shape than the picture would be stretched over it, its painted areas landing
 * elsewhere: refused. (Other image formats are taken as they come.)
 */
async function checkShape(path: string, role: 'reference' | 'mask', grid: { width: number; height: number }): Promise<void> {
  const head = Buffer.alloc(24)
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, 24, 0)
  } finally {
    await fh.close()
  }
  let size: { width: number; height: number }
  try {
    size = pngSize(head)
  } catch {
    return
  }
  const ratio = size.width / size.height
  const picture = grid.width / grid.height
  if (size.height > 0 && Math.abs(ratio - picture) / picture <= SHAPE_TOLERANCE) return
  throw new InputError(path, `is ${size.width}x${size.height}, another shape than the picture (${grid.width}x${grid.height}): make the ${role} on a frame of this footage`)
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

/** The reference picture, and what it was in the end (summary.json's `resolved.reference`). */
export interface LoadedReference {
  gray: Uint8Array
  resolved: string
}

export async function loadReference(ref: Reference, ctx: ReferenceContext): Promise<LoadedReference> {
  const first = ctx.clips[0]
  const as = (resolved: string) => (gray: Uint8Array): LoadedReference => ({ gray, resolved })
  if (ref.kind !== 'auto') void ctx.decodersMayStart?.()
  switch (ref.kind) {
    case 'frame':
      return extractGrayFrame(frameOptions(ctx, first), { kind: 'frame', index: ref.index }).then(as(describeReference(ref)))
    case 'time': {
      const at = locateTime(ctx.clips, ref.seconds)
      // A time in the clip's last frame interval shows its last frame, which a seek to the time
      // itself would pass (ffmpeg gives the first frame at or after it).
      const { fps, durationSeconds: d } = at.clip
      const seconds = fps && d ? Math.min(at.seconds, Math.max(0, d - 1 / fps)) : at.seconds
      return extractGrayFrame(frameOptions(ctx, at.clip), { kind: 'time', seconds }).then(as(describeReference(ref)))
    }
    case 'image':
      return readImageAtGrid(ctx, ref.path, 'reference').then(as(describeReference(ref)))
    case 'auto':
      return buildBackground(ctx)
  }
}

/** How an automatic empty scene's frames were found, in summary.json's words. */
const HOW_WORDS = { keyframes: 'the keyframes nearest', 'one pass': 'one pass over the clips', seeks: 'exact seeks' } as const

async function buildBackground(ctx: ReferenceContext): Promise<LoadedReference> {
  const durations = ctx.clips.map((c) => c.durationSeconds ?? 0)
  const size = ctx.grid.width * ctx.grid.height
  if (durations.every((d) => d === 0)) {
    // No durations (raw streams): fall back to the first frame rather than guess.
    const gray = await extractGrayFrame(frameOptions(ctx, ctx.clips[0]), { kind: 'frame', index: 0 })
    return { gray, resolved: 'auto: the first frame (the clips give no duration to spread frames over)' }
  }
  const { frames, how } = await backgroundFrames(ctx, spreadSampleTimes(durations, BACKGROUND_SAMPLES))
  if (ctx.signal?.aborted) throw new Error('cancelled')
  if (frames.length === 0) throw await noFrames(ctx)
  await ctx.decodersMayStart?.()
  // The median, then the people it kept where they stood most of the day, taken out again; in
  // steps, so that decoders running meanwhile are read (and the first ones spawned).
  const median = await inTurns(medianSteps(frames, size))
  const gray = await inTurns(ghostRemovalSteps(frames, median, ctx.grid.width, ctx.grid.height, undefined, ctx.ghostTools))
  return { gray, resolved: `auto: median of ${frames.length} frames spread over the day (${HOW_WORDS[how]}), ghosts removed` }
}

/** Why no frame of the day could be read, as far as ffmpeg says of the first clip's first frame
 *  (the routes above give up quietly, each leaving the next route to try). */
async function noFrames(ctx: ReferenceContext): Promise<InputError> {
  const first = ctx.clips[0]
  const reason = await extractGrayFrame(frameOptions(ctx, first), { kind: 'frame', index: 0 }).then(
    () => null,
    (err: unknown) => (err instanceof FrameUnreadable ? err.reason : null)
  )
  return new InputError(first.path, `no frame could be read to build the empty scene${reason ? ` (${reason})` : ''}`)
}

type DayTimes = ReturnType<typeof spreadSampleTimes>

/** The frames an automatic empty scene is made from, and how they were found. */
export async function backgroundFrames(ctx: ReferenceContext, times: DayTimes): Promise<{ frames: Uint8Array[]; how: 'keyframes' | 'one pass' | 'seeks' }> {
  // A few hundred frames in all: decoding them all is cheaper than reading keyframes piece by piece.
  const concerned = [...new Set(times.map((t) => ctx.clips[t.clip]))]
  const tiny = concerned.every((c) => c.frameCount !== null) && concerned.reduce((a, c) => a + c.frameCount!, 0) <= TINY_DAY_FRAMES
  // A warmed ffmpeg serves only framesFromIndex: idle beside another route's ffmpeg, it would hold
  // ~45 MB. Stopped before any other route starts (nothing once taken).
  const otherRoute = (): void => ctx.warm?.dispose()
  if (tiny) otherRoute()
  const first = tiny ? await framesInOnePass(ctx, times) : null
  if (first) return { frames: first, how: 'one pass' }
  const fewKeyframes = tooFewKeyframes(ctx.clips, ctx.keyframeGap)
  const fromIndex = fewKeyframes ? null : await framesFromIndex(ctx, times)
  otherRoute()
  const fromKeyframes = fromIndex ?? (fewKeyframes ? null : await framesFromKeyframes(ctx, times))
  if (fromKeyframes) return { frames: fromKeyframes, how: 'keyframes' }
  const inOnePass = await framesInOnePass(ctx, times)
  if (inOnePass) return { frames: inOnePass, how: 'one pass' }
  return { frames: await framesBySeeking(ctx, times), how: 'seeks' }
}

/** About the frames the keyframe route decodes for 31 moments (two per piece) several times over. */
const TINY_DAY_FRAMES = BACKGROUND_SAMPLES * 10

/**
 * Clips up to this many frames are decoded whole, once, for the frames at the moments: at 1080p
 * about as long as a handful of seeks, each of which costs an ffmpeg start (~0.3 s here).
 */
const ONE_PASS_MAX_FRAMES = 1500

/** An exact seek's start-up (ffmpeg's start, the open and the seek), in frames decoded meanwhile
 *  (~0.2 s at ~250 1080p frames a second, one thread). */
const SEEK_START_FRAMES = 50

/**
 * Whether decoding a clip whole is cheaper than seeking to its moments. A seek decodes from the
 * keyframe before its moment, half a keyframe gap on average: on footage with keyframes far
 * apart (many cameras put 4-10 s between them) 31 seeks into a two-minute clip decode more
 * frames than the clip has (measured: 1080p, a keyframe every 10 s, 17 s of seeks against
 * 4.4 s for one pass).
 */
export function onePassIsCheaper(clip: VideoInfo, moments: number, keyframeGap: number | null | undefined): boolean {
  if (clip.fps === null || clip.frameCount === null) return false
  if (clip.frameCount <= ONE_PASS_MAX_FRAMES) return true
  if (!keyframeGap) return false
  return clip.frameCount < moments * ((keyframeGap * clip.fps) / 2 + SEEK_START_FRAMES)
}

/**
 * The exact frames the seeks would give (the first frame shown at or after each moment, counted
 * at the clip's frame rate), one decode per clip, when that is cheaper than seeking for every
 * clip concerned (see onePassIsCheaper). Null otherwise, or when a frame rate is unknown.
 */
async function framesInOnePass(ctx: ReferenceContext, times: DayTimes): Promise<Uint8Array[] | null> {
  const clipIndices = [...new Set(times.map((t) => t.clip))]
  const cheaper = (i: number): boolean => onePassIsCheaper(ctx.clips[i], times.filter((t) => t.clip === i).length, ctx.keyframeGap)
  if (!clipIndices.every(cheaper)) return null
  const frames: Uint8Array[] = []
  for (const i of clipIndices) {
    const clip = ctx.clips[i]
    // The last frame at most: a moment in a clip's last frame interval rounds up past its end.
    const indices = times.filter((t) => t.clip === i).map((t) => Math.min(clip.frameCount! - 1, Math.max(0, Math.ceil(t.seconds * clip.fps! - 1e-6))))
    const found = await extractGrayFramesAt(frameOptions(ctx, clip), indices).catch((err: unknown) => {
      if (ctx.signal?.aborted) throw err
      return new Map<number, Uint8Array>()
    })
    for (const n of indices) {
      const f = found.get(n)
      if (f) frames.push(f)
    }
  }
  // None read: the other routes may still find some.
  return frames.length > 0 ? frames : null
}

/** Fewer different frames than this from keyframes alone: seek exactly instead. */
const MIN_DISTINCT_KEYFRAMES = Math.ceil(BACKGROUND_SAMPLES * 0.6)

/** The day holds too few keyframes for the keyframe route, as its keyframe spacing tells before
 *  anything is read (the read would cost ~1 s at 1080p, for nothing). */
export function tooFewKeyframes(clips: VideoInfo[], keyframeGap: number | null | undefined): boolean {
  const seconds = clips.reduce((a, c) => a + (c.durationSeconds ?? 0), 0)
  return !!keyframeGap && seconds / keyframeGap + 1 < MIN_DISTINCT_KEYFRAMES
}

/**
 * The keyframe nearest before each time, in one ffmpeg run (one per kind of stream): fast, and
 * as good as the exact frame for a median. Null when keyframes are too far apart to give enough
 * different frames (long-GOP footage, short clips) or the clips cannot be read that way.
 */
async function framesFromKeyframes(ctx: ReferenceContext, times: DayTimes): Promise<Uint8Array[] | null> {
  const frames: Uint8Array[] = []
  // One decoder and one filter chain per ffmpeg run: clips of another codec or luma range (a
  // full-range clip among limited ones) get a run of their own, so each reaches the median in
  // full range. One run for all otherwise: two side by side, half the moments each, were no
  // faster here (1.1-1.25 s against 1.1-1.15 s for 31 moments of the 1080p bench clip) and took
  // 79 MB more memory.
  for (const group of streamKinds(ctx.clips, times)) {
    const moments = group.times.map(({ clip, seconds }) => ({ input: ctx.clips[clip].path, seconds: ctx.clips[clip].startTime + seconds }))
    const options = { ffmpeg: ctx.ffmpeg, ...ctx.grid, source: group.source, skipLoopFilter: ctx.skipLoopFilter, signal: ctx.signal }
    const found = await keyframesNear(moments, options).catch((err: unknown) => {
      if (ctx.signal?.aborted) throw err
      return null
    })
    if (found === null) return null
    frames.push(...found)
  }
  // The same keyframe behind neighbouring times decodes to the same bytes: keep it once.
  const distinct = new Map<string, Uint8Array>()
  for (const f of frames) distinct.set(createHash('sha1').update(f).digest('hex'), f)
  return distinct.size >= MIN_DISTINCT_KEYFRAMES ? [...distinct.values()] : null
}


/** The times grouped by the kind of stream their clips hold (see sameStreamKind), each group with
 *  a clip of its kind to describe its frames, in the order their first clips come. */
function streamKinds(clips: VideoInfo[], times: DayTimes): Array<{ source: VideoInfo; times: DayTimes }> {
  const groups: Array<{ source: VideoInfo; times: DayTimes }> = []
  for (const t of times) {
    const clip = clips[t.clip]
    const group = groups.find((g) => sameStreamKind(g.source, clip))
    if (group) group.times.push(t)
    else groups.push({ source: clip, times: [t] })
  }
  return groups
}

/**
 * The keyframe at or before each time, picked from the clips' own indexes (H.264 or HEVC
 * MP4/MOV), each decoded once, all by one ffmpeg fed by us (the first task's own decoder when
 * ctx.decodePicked says so): framesFromKeyframes' frames (which
 * may take a keyframe shown just after a time instead) without opening a clip per moment (the
 * concat route opens the clip and decodes its first frame for each: 0.83 s against ~0.5 s for the
 * 1080p bench clip's 31 moments). Null when a clip cannot be read that way or the keyframes are
 * too few.
 */
export async function framesFromIndex(ctx: ReferenceContext, times: DayTimes): Promise<Uint8Array[] | null> {
  const concerned = [...new Set(times.map((t) => t.clip))]
  // One bare stream holds one codec, and one filter chain takes its frames: a day of mixed codecs
  // or luma ranges goes the concat route, which reads each kind with its own.
  const source = ctx.clips[concerned[0]]
  if (!concerned.every((i) => indexFeedable(ctx.clips[i]) && sameStreamKind(ctx.clips[i], source))) return null
  const fed: FedClip[] = []
  // One index at a time, keeping only the picked keyframes: a day's indexes together could be large.
  for (const i of concerned) {
    const index = await (ctx.readIndex ?? readMp4Keyframes)(ctx.clips[i].path).catch(() => null)
    if (!index) return null
    const picked = new Set(times.filter((t) => t.clip === i).map((t) => keyframeAtOrBefore(index.keyframes, t.seconds)))
    fed.push({ path: ctx.clips[i].path, index: { ...index, keyframes: [...picked].sort((a, b) => a.seconds - b.seconds) } })
  }
  if (fed.reduce((a, c) => a + c.index.keyframes.length, 0) < MIN_DISTINCT_KEYFRAMES) return null
  // Independent frames decode side by side on frame threads; one core gets one thread.
  const threads = availableParallelism() > 1 ? 3 : 1
  const options = { ffmpeg: ctx.ffmpeg, ...ctx.grid, source, threads, skipLoopFilter: ctx.skipLoopFilter, signal: ctx.signal, onSpawned: ctx.meanwhile, warm: ctx.warm }
  return (ctx.decodePicked ?? decodePickedAlone)(fed, options, (frames) => frames.length >= MIN_DISTINCT_KEYFRAMES)
}

/** One exact seek per time, two at a time: slower, but exact on any footage. */
export async function framesBySeeking(ctx: ReferenceContext, times: DayTimes): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = []
  for (let i = 0; i < times.length; i += 2) {
    const batch = times.slice(i, i + 2).map(({ clip, seconds }) =>
      extractGrayFrame(frameOptions(ctx, ctx.clips[clip]), { kind: 'time', seconds }).then((f) => Uint8Array.from(f)).catch(() => null)
    )
    for (const f of await Promise.all(batch)) if (f) frames.push(f)
  }
  return frames
}
