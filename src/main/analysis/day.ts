// A day of footage: the readable clips in time order with their wall-clock starts, and the
// files that were refused with the reason why.
import { realpath, stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, resolve } from 'node:path'
import type { InputSummary } from '../../shared/summary'
import { splitKept, stillMatches, type KeptProbe } from '../../shared/video-info'
import { clipStart, startFromName, type ClipStart } from '../media/clip-start'
import { annexBCodec } from '../media/annexb-scan'
import { keyframeGapSeconds, scanRawStream } from '../media/keyframes'
import type { Mp4Keyframes } from '../media/mp4-keyframes'
import { InputError, probeVideo, probeVideoAndKeyframeGap, type IndexSink, type VideoInfo } from '../media/probe'
import { quickHash } from '../media/quick-hash'
import { runLimited } from './run-limited'

export interface DayClip extends VideoInfo {
  start: ClipStart
  /** What is doubtful about a clip that is still analysed (its time overlaps another's). */
  notice?: string
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
 * `start` places the clips back to back from the first one, in the order given (the app's order
 * against the clocks); `dayStart` (the CLI's --start) moves the day instead (see shiftDay); `starts` (aligned with `inputs`)
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
    dayStart?: string
  } = {}
): Promise<Day> {
  const clips: DayClip[] = []
  const rejected: Day['rejected'] = []
  const owned = new Map<DayClip, number>()
  // A day is often dozens of files: probe them a few at a time (each ffprobe mostly waits on
  // its own start-up), then judge them in the order given.
  const paths = inputs.map((input) => resolve(input))
  // A link (or a path through a linked folder) is the file it points to: counted once.
  const ids = await Promise.all(paths.map((path) => realpath(path).catch(() => path)))
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
    const first = ids.indexOf(ids[i])
    probed[i] = first < i ? new InputError(paths[i], paths[first] === paths[i] ? 'is given more than once; analysed once' : `is the same file as ${paths[first]} (a link); analysed once`) : await probeOne(i).catch((err: unknown) => {
      if (err instanceof InputError) return err
      throw err
    })
    options.onProbed?.(++done, paths.length)
  })
  // Copies (the same bytes under another name) are found among files of the same size only.
  const hashes = new Map<number, Promise<string | null>>()
  const hashOf = (i: number, bytes: number): Promise<string | null> => {
    if (!hashes.has(i)) hashes.set(i, quickHash(paths[i], bytes).catch(() => null))
    return hashes.get(i)!
  }
  const kept: number[] = []
  for (const [i, path] of paths.entries()) {
    try {
      const info = probed[i]
      if (info instanceof InputError) throw info
      for (const j of kept) {
        const other = probed[j] as VideoInfo
        if (other.bytes !== info.bytes) continue
        const [a, b] = await Promise.all([hashOf(j, other.bytes), hashOf(i, info.bytes)])
        if (a !== null && a === b) throw new InputError(path, `is a copy of ${paths[j]} (same size and content); analysed once`)
      }
      const first = clips[0]
      if (first && (info.width !== first.width || info.height !== first.height)) {
        throw new InputError(path, `is ${info.width}x${info.height}, but the day's first clip is ${first.width}x${first.height} (another camera?); skipped`)
      }
      const clip = { ...info, start: clipStart({ creationTime: info.creationTime, fileName: basename(path), mtimeMs: info.mtimeMs, durationSeconds: info.durationSeconds }) }
      const set = starts?.[i]
      if (set) owned.set(clip, givenTime(set))
      clips.push(clip)
      kept.push(i)
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      rejected.push({ path, problem: err.problem })
    }
  }
  preferNamesOverSharedMetadata(clips)
  if (options.dayStart !== undefined) {
    shiftDay(clips, givenTime(options.dayStart), owned)
  } else if (start !== undefined || owned.size > 0) {
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
  noteOverlaps(clips)
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

/** A start the clip's own clock gave (not a file time, which copying resets). */
function ownClock(start: ClipStart): boolean {
  return start.source === 'metadata' || start.source === 'file name'
}

/**
 * Clips whose container says they all began at the same moment while their names say otherwise:
 * the container's time is then the export's or a default, not the recording's, and the names
 * are trusted instead.
 */
function preferNamesOverSharedMetadata(clips: DayClip[]): void {
  const byStart = new Map<number, DayClip[]>()
  for (const c of clips) if (c.start.source === 'metadata') byStart.set(c.start.epochMs, [...(byStart.get(c.start.epochMs) ?? []), c])
  for (const same of byStart.values()) {
    if (same.length < 2) continue
    const named = same.map((c) => startFromName(basename(c.path)))
    if (named.some((t) => t === null) || new Set(named).size < 2) continue
    same.forEach((c, k) => (c.start = { epochMs: named[k]!, source: 'file name' }))
  }
}

/**
 * The CLI's --start: the first clip starts at `at` and the day keeps its shape. Clips with a
 * clock of their own (all of them: in that order) move by one offset, so their gaps stay; a clip
 * without one follows the one before it end to end; an owner-set start stands.
 */
function shiftDay(clips: DayClip[], at: number, owned: Map<DayClip, number>): void {
  if (clips.every((c) => ownClock(c.start))) clips.sort((a, b) => a.start.epochMs - b.start.epochMs)
  let offset: number | null = null
  let next: number | null = at
  for (const clip of clips) {
    const own = owned.get(clip)
    if (own !== undefined) clip.start = { epochMs: own, source: 'given' }
    else if (ownClock(clip.start)) {
      // The first clock met sets the offset: it lands where the clips before it (if any) end.
      offset ??= (next ?? clip.start.epochMs) - clip.start.epochMs
      clip.start = { epochMs: clip.start.epochMs + offset, source: 'given' }
    } else if (next !== null) clip.start = { epochMs: next, source: 'given' }
    // After a clip of unknown length (a raw stream) the next one cannot be placed end to end.
    next = clip.durationSeconds === null ? null : clip.start.epochMs + clip.durationSeconds * 1000
  }
}

/** Within this, a clip may begin before the one before it ends: recorders cut on whole seconds. */
const OVERLAP_SLACK_MS = 1000

/**
 * Clips whose times overlap count those minutes twice. They are still analysed (which clock is
 * wrong, or which clip is the extra one, cannot be told from here) and the later one says so.
 * File times are left out: copying files resets them.
 */
function noteOverlaps(clips: DayClip[]): void {
  const span = (c: DayClip): [number, number] | null => c.durationSeconds === null || c.start.source === 'file time' ? null : [c.start.epochMs, c.start.epochMs + c.durationSeconds * 1000]
  for (const [i, clip] of clips.entries()) {
    const own = span(clip)
    if (!own) continue
    for (const other of clips.slice(0, i)) {
      const theirs = span(other)
      const shared = theirs ? Math.min(own[1], theirs[1]) - Math.max(own[0], theirs[0]) : 0
      if (shared <= OVERLAP_SLACK_MS) continue
      clip.notice = `its time (${wallClock(own[0])}, ${clip.durationSeconds} s) overlaps ${other.path} by ${Math.round(shared / 1000)} s, which are counted twice (a copy of the same footage, or a clock set wrong?)`
      break
    }
  }
}
