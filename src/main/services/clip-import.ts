// Adding footage to a day: files or folders (every video inside a folder), each probed with
// ffprobe. Files that cannot be used stay listed with the reason, so the owner sees what was
// left out; clips of another size than most of the day's are another camera's and are flagged.
import { readdir, stat } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { wallClock } from '../analysis/day'
import { clipStart } from '../media/clip-start'
import { InputError, probeVideoAndKeyframeGap } from '../media/probe'
import type { Clip } from '../../shared/project'
import { AppError } from './app-error'

/** What CCTV recorders and cameras write; matched case-insensitively. */
export const VIDEO_EXTENSIONS: ReadonlySet<string> = new Set(['.mp4', '.mkv', '.avi', '.mov', '.ts', '.h264', '.h265', '.hevc', '.264', '.265', '.dav', '.m4v'])

export function isVideoName(name: string): boolean {
  return VIDEO_EXTENSIONS.has(extname(name).toLowerCase())
}

/** ffprobe runs are mostly process start-up: two at a time keeps a 2-core machine responsive. */
const PROBE_CONCURRENCY = 2

/** A clip that could not be read: listed, never analysed. Readable clips always have a size. */
export function unreadableClip(path: string, bytes: number, problem: string): Clip {
  return { path, bytes, width: 0, height: 0, fps: null, durationSeconds: null, startedAt: null, startSource: null, problem }
}

function isReadable(clip: Clip): boolean {
  return clip.width > 0 && clip.height > 0
}

/** Files given directly, and the videos directly inside the folders given, in name order. */
export async function expandPaths(paths: string[]): Promise<{ files: string[]; emptyFolders: string[] }> {
  const files: string[] = []
  const emptyFolders: string[] = []
  for (const given of paths) {
    const path = resolve(given)
    const info = await stat(path).catch(() => null)
    if (!info?.isDirectory()) {
      // Missing and odd files are probed too, so they are listed with their problem.
      files.push(path)
      continue
    }
    let names: string[]
    try {
      names = await readdir(path)
    } catch (error) {
      throw new AppError('invalid', `The folder ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`)
    }
    const videos = names.filter((n) => !n.startsWith('.') && isVideoName(n)).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    if (videos.length === 0) emptyFolders.push(path)
    files.push(...videos.map((n) => join(path, n)))
  }
  return { files, emptyFolders }
}

/** Probes one file into a clip; unreadable files become listed clips with their problem. */
export async function probeClip(ffprobe: string, path: string, signal?: AbortSignal): Promise<Clip> {
  try {
    const { info, keyframeGap } = await probeVideoAndKeyframeGap(ffprobe, path, signal)
    const start = clipStart({ creationTime: info.creationTime, fileName: basename(path), mtimeMs: info.mtimeMs, durationSeconds: info.durationSeconds })
    return {
      path,
      bytes: info.bytes,
      width: info.width,
      height: info.height,
      fps: info.fps,
      durationSeconds: info.durationSeconds,
      startedAt: wallClock(start.epochMs),
      startSource: start.source,
      problem: null,
      probe: { ...info, keyframeGap }
    }
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    const bytes = await stat(path).then((s) => s.size, () => 0)
    return unreadableClip(path, bytes, error.problem)
  }
}

/**
 * Readable clips by start time (stable: equal starts keep their order), unreadable ones after
 * them. Recorders name and stamp clips by time, so this is the order of the day.
 */
export function sortByStart(clips: Clip[]): Clip[] {
  const readable = clips.filter(isReadable)
  const unreadable = clips.filter((c) => !isReadable(c))
  readable.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
  return [...readable, ...unreadable]
}

/**
 * Flags readable clips whose picture size differs from the day's (another camera: the heatmap
 * needs one view). The day's size is the one most of its clips have, ties going to the earliest
 * clip's: one stray clip from another camera must not reject the whole day just because it
 * sorts first. Recomputed after every change of order or membership.
 */
export function checkSizes(clips: Clip[]): Clip[] {
  const readable = clips.filter(isReadable)
  const groups = new Map<string, { width: number; height: number; count: number }>()
  for (const clip of readable) {
    const key = `${clip.width}x${clip.height}`
    const group = groups.get(key) ?? { width: clip.width, height: clip.height, count: 0 }
    group.count++
    groups.set(key, group)
  }
  // A map keeps first appearances in order: on a tie the earliest clip's size stays ahead.
  let day: { width: number; height: number; count: number } | undefined
  for (const group of groups.values()) if (!day || group.count > day.count) day = group
  return clips.map((clip) => {
    if (!isReadable(clip)) return clip
    const problem = day && (clip.width !== day.width || clip.height !== day.height)
      ? `is ${clip.width}x${clip.height}, but ${shareOf(day.count, readable.length)} ${day.width}x${day.height} (another camera?), so it is left out`
      : null
    return { ...clip, problem }
  })
}

function shareOf(count: number, total: number): string {
  if (count * 2 > total) return "most of the day's clips are"
  return `${count} of the day's ${total} clips ${count === 1 ? 'is' : 'are'}`
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length)
  let next = 0
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run))
  return out
}

/**
 * Probes what `paths` add to a day: files already in the day (or given twice) are ignored, and
 * a folder without videos is an error only when nothing at all is added.
 */
export async function probeNewClips(ffprobe: string, existing: Clip[], paths: string[], dayName: string, signal?: AbortSignal): Promise<Clip[]> {
  const { files, emptyFolders } = await expandPaths(paths)
  const known = new Set(existing.map((c) => c.path))
  const fresh = files.filter((f) => {
    if (known.has(f)) return false
    known.add(f)
    return true
  })
  if (fresh.length === 0 && emptyFolders.length > 0) {
    throw new AppError('invalid', `The folder ${emptyFolders[0]} holds no video files (${[...VIDEO_EXTENSIONS].join(' ')}), so nothing was added to ${dayName}.`)
  }
  return mapLimited(fresh, PROBE_CONCURRENCY, (f) => probeClip(ffprobe, f, signal))
}

/** The day's clips with new ones merged in (duplicates dropped), in time order, sizes checked. */
export function mergeClips(existing: Clip[], added: Clip[]): Clip[] {
  const known = new Set(existing.map((c) => c.path))
  return checkSizes(sortByStart([...existing, ...added.filter((c) => !known.has(c.path))]))
}
