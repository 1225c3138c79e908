// The time of each frame a decode delivers, as ffmpeg knows it: its filter chain ends in a
// metadata filter that prints every frame's presentation time to fd 3 (FRAME_TIME_FILTERS). Raw
// frames carry no time, and counting frames at the average rate is wrong where the rate varies
// (cameras that drop frames at night, motion-triggered recording) or where keyframes come at
// varying spacing (cameras that stretch the GOP in still scenes).
import type { Readable } from 'node:stream'

/** Ends a decode's filter chain: tags every frame so that the print that follows prints them all. */
export const FRAME_TIME_FILTERS = ['metadata=mode=add:key=dwellmap:value=1', 'metadata=mode=print:key=dwellmap:file=pipe\\\\:3:direct=1']

export interface FrameTimes {
  /** Seconds of frame k (0-based, as delivered) from `origin`; null if ffmpeg gave none. */
  at(k: number): number | null | Promise<number | null>
}

/** Reads the times a decode with FRAME_TIME_FILTERS prints, as they come. */
export function readFrameTimes(stream: Readable, origin: number): FrameTimes {
  const times: Array<number | null> = []
  const waiting = new Map<number, (t: number | null) => void>()
  let ended = false
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      // "frame:12   pts:307200  pts_time:12" (then "dwellmap=1").
      const match = /^frame:\d+\s+pts:\S+\s+pts_time:(\S+)/.exec(line)
      if (!match) continue
      const seconds = Number(match[1])
      const k = times.length
      times.push(Number.isFinite(seconds) ? seconds - origin : null)
      waiting.get(k)?.(times[k])
      waiting.delete(k)
    }
  })
  const end = (): void => {
    ended = true
    for (const resolve of waiting.values()) resolve(null)
    waiting.clear()
  }
  stream.on('end', end)
  stream.on('close', end)
  stream.on('error', end)
  return {
    at(k) {
      if (k < times.length) return times[k]
      if (ended) return null
      return new Promise((resolve) => waiting.set(k, resolve))
    }
  }
}
