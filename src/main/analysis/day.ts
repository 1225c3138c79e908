// A day of footage: the readable clips in time order with their wall-clock starts, and the
// files that were refused with the reason why.
import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, resolve } from 'node:path'
import type { InputSummary } from '../../shared/summary'
import { splitKept, stillMatches, type KeptProbe } from '../../shared/video-info'
import { clipStart, type ClipStart } from '../media/clip-start'
import { annexBCodec } from '../media/annexb-scan'
import { keyframeGapSeconds, scanRawStream } from '../media/keyframes'
import type { Mp4Keyframes } from '../media/mp4-keyframes'
import { InputError, probeVideo, probeVideoAndKeyframeGap, type IndexSink, type VideoInfo } from '../media/probe'
import { runLimited } from './run-limited'

export interface DayClip extends VideoInfo {
  start: ClipStart
}

export interface Day {
  clips: DayClip[]
  rejected: Array<{ path: string; problem: string }>
  /** With `keyframeGap`: the keyframe spacing of the day's first clip (once sorted), null when
   *  unknown. */
  keyframeGap?: number | null
}

export function rejectedInput(path: string, problem: string): InputSummary {
  return {
    path, bytes: 0, hash: '', width: 1, height: 1, durationSeconds: null, fps: null, codec: '', framesSampled: 0,
    startedAt: null, startSource: null, status: 'rejected', problem
  }
}

/** Local wall-clock ISO time without a zone: what the recorder's clock said. */
export function wallClock(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 19)
}

/** A wall-clock time given as YYYY-MM-DDTHH:MM(:SS), as milliseconds read as UTC. */
function givenTime(stamp: string): number {
  return Date.parse((stamp.length === 16 ? stamp + ':00' : stamp) + 'Z')
}

/** A kept probe of the file at `path`, if the file is still the one probed (one stat, no ffprobe). */
async function unchanged(kept: KeptProbe | null, path: string): Promise<KeptProbe | null> {
  if (!kept || resolve(kept.path) !== path) return null
  // A bare H.264/HEVC stream kept before such streams were scanned for their frames and keyframe
  // spacing (no mark, no length) is probed again: it would be sampled frame by frame.
  if (!kept.rawStream && kept.durationSeconds === null && kept.frameCount === null && annexBCodec(kept.codec)) return null
  const now = await stat(path).catch(() => null)
  return now?.isFile() && stillMatches(kept, now) ? kept : null
}

/**
 * `start` places the clips back to back from the first one; `starts` (aligned with `inputs`)
 * gives single clips the start the owner set (with `start`, the clips after it follow it).
 * `keyframeGap` reads the first clip's keyframe spacing: in the first input's own probe (one
 * ffprobe start-up less), or apart should sorting put another clip first. `known`
 * (aligned with `inputs`) are probes kept by the host, used for files that have not changed;
 * `onProbed` hears of each file read.
 */
export async function probeDay(
  ffprobe: string, inputs: string[], start: string | undefined, signal: AbortSignal, starts?: Array<string | null>,
  options: {
    keyframeGap?: boolean
    known?: Array<KeptProbe | null>
    /** Keyframes the host read from the inputs' indexes (aligned with `inputs`), each told to
     *  onIndex when its file's kept probe stands. */
    knownIndexes?: Array<Mp4Keyframes | null>
    onProbed?: (done: number, total: number) => void
    onIndex?: IndexSink
  } = {}
): Promise<Day> {
  const clips: DayClip[] = []
  const rejected: Day['rejected'] = []
  const owned = new Map<DayClip, number>()
  // A day is often dozens of files: probe them a few at a time (each ffprobe mostly waits on
  // its own start-up), then judge them in the order given.
  const paths = inputs.map((input) => resolve(input))
  const probed: Array<VideoInfo | InputError> = []
  let firstInputKeyframeGap: number | null | undefined
  const probeOne = async (i: number): Promise<VideoInfo> => {
    const kept = await unchanged(options.known?.[i] ?? null, paths[i])
    if (kept) {
      const index = options.knownIndexes?.[i]
      if (index) options.onIndex?.(paths[i], index)
      const { info, keyframeGap } = splitKept(kept)
      if (i === 0) firstInputKeyframeGap = keyframeGap
      return info
    }
    if (i > 0 || !options.keyframeGap) return probeVideo(ffprobe, paths[i], signal, options.onIndex)
    const { info, keyframeGap } = await probeVideoAndKeyframeGap(ffprobe, paths[i], signal, options.onIndex)
    firstInputKeyframeGap = keyframeGap
    return info
  }
  let done = 0
  await runLimited([...paths.keys()], Math.max(2, availableParallelism()), async (i) => {
    // The same file twice would count its hours twice.
    const again = paths.indexOf(paths[i]) < i
    probed[i] = again ? new InputError(paths[i], 'is given more than once; analysed once') : await probeOne(i).catch((err: unknown) => {
      if (err instanceof InputError) return err
      throw err
    })
    options.onProbed?.(++done, paths.length)
  })
  for (const [i, path] of paths.entries()) {
    try {
      const info = probed[i]
      if (info instanceof InputError) throw info
      const first = clips[0]
      if (first && (info.width !== first.width || info.height !== first.height)) {
        throw new InputError(path, `is ${info.width}x${info.height}, but the day's first clip is ${first.width}x${first.height} (another camera?); skipped`)
      }
      const clip = { ...info, start: clipStart({ creationTime: info.creationTime, fileName: basename(path), mtimeMs: info.mtimeMs, durationSeconds: info.durationSeconds }) }
      const set = starts?.[i]
      if (set) owned.set(clip, givenTime(set))
      clips.push(clip)
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      rejected.push({ path, problem: err.problem })
    }
  }
  if (start !== undefined || owned.size > 0) {
    // Given starts keep the order the clips were given in (the host put the day in order).
    let next = start === undefined ? null : givenTime(start)
    for (const clip of clips) {
      const own = owned.get(clip) ?? next
      if (own !== null) clip.start = { epochMs: own, source: 'given' }
      // After a clip of unknown length (a raw stream) the next one cannot be placed end to end:
      // it keeps what its file says (summary.json names the source of each start).
      if (next !== null) next = clip.durationSeconds === null ? null : clip.start.epochMs + clip.durationSeconds * 1000
    }
  } else if (clips.every((c) => c.start.source !== 'file time')) {
    // Only trusted clocks reorder the day: copying files resets their modification times.
    clips.sort((a, b) => a.start.epochMs - b.start.epochMs)
  }
  if (!options.keyframeGap) return { clips, rejected }
  const keyframeGap = clips.length === 0 ? null
    : clips[0].path === paths[0] ? firstInputKeyframeGap ?? null
    : await firstClipKeyframeGap(ffprobe, clips[0], signal).catch(() => null)
  return { clips, rejected, keyframeGap }
}

/** The keyframe spacing of a clip probed without it; a bare stream's from its first two minutes
 *  (ffprobe would list the whole file's packets, which carry no time). */
async function firstClipKeyframeGap(ffprobe: string, clip: VideoInfo, signal: AbortSignal): Promise<number | null> {
  const codec = clip.rawStream ? annexBCodec(clip.codec) : null
  if (!codec) return keyframeGapSeconds(ffprobe, clip.path, signal)
  return (await scanRawStream(clip.path, codec, clip.fps, { whole: false, signal })).keyframeGap
}
