// A day of footage: the readable clips in time order with their wall-clock starts, and the
// files that were refused with the reason why.
import { basename, resolve } from 'node:path'
import type { InputSummary } from '../../shared/summary'
import { clipStart, type ClipStart } from '../media/clip-start'
import { InputError, probeVideo, type VideoInfo } from '../media/probe'

export interface DayClip extends VideoInfo {
  start: ClipStart
}

export interface Day {
  clips: DayClip[]
  rejected: Array<{ path: string; problem: string }>
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

export async function probeDay(ffprobe: string, inputs: string[], start: string | undefined, signal: AbortSignal): Promise<Day> {
  const clips: DayClip[] = []
  const rejected: Day['rejected'] = []
  for (const input of inputs) {
    const path = resolve(input)
    try {
      const info = await probeVideo(ffprobe, path, signal)
      const first = clips[0]
      if (first && (info.width !== first.width || info.height !== first.height)) {
        throw new InputError(path, `is ${info.width}x${info.height}, but the day's first clip is ${first.width}x${first.height} (another camera?); skipped`)
      }
      clips.push({ ...info, start: clipStart({ creationTime: info.creationTime, fileName: basename(path), mtimeMs: info.mtimeMs, durationSeconds: info.durationSeconds }) })
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      rejected.push({ path, problem: err.problem })
    }
  }
  if (start !== undefined) {
    // A given start places the clips back to back in the order they were given.
    let t = Date.parse(start + 'Z')
    for (const clip of clips) {
      clip.start = { epochMs: t, source: 'given' }
      t += (clip.durationSeconds ?? 0) * 1000
    }
  } else if (clips.every((c) => c.start.source !== 'file time')) {
    // Only trusted clocks reorder the day: copying files resets their modification times.
    clips.sort((a, b) => a.start.epochMs - b.start.epochMs)
  }
  return { clips, rejected }
}
