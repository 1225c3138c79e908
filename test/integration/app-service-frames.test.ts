// Frame previews: the pre-started ffmpeg gives exactly the frame a fresh `-ss T -i CLIP` gives,
// MPEG-TS goes the ordinary way, and stale requests stop.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateClip, testClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { runningProcessCount, runTool } from '../../src/main/media/processes'
import { FrameService, frameArgs } from '../../src/main/services/frame-service'
import { concatScript, WarmFrames } from '../../src/main/services/warm-frames'

const ff = locateFfmpeg()
let tmp: string
let mp4: string
let ts: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "dwellmap-frames-'quote "))
  mp4 = (await generateClip(testClip({ name: 'frames', seconds: 8 }), tmp, ff.ffmpeg)).videoPath
  ts = join(tmp, "it's a stream.ts")
  await promisify(execFile)(ff.ffmpeg, ['-v', 'error', '-i', mp4, '-c', 'copy', ts])
})

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** Waits (up to 20 s: the machine may be busy) until `check` holds. */
async function settle(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50))
}

async function cold(path: string, seconds: number, width: number): Promise<Buffer> {
  return (await runTool(ff.ffmpeg, frameArgs(path, seconds, width))).stdout
}

describe('pre-started preview processes', () => {
  it('escapes quotes in the concat script and refuses line breaks', () => {
    expect(concatScript("/a/it's.mp4", 1.5, 1.4)).toBe("ffconcat version 1.0\nfile 'file:/a/it'\\''s.mp4'\ninpoint 2.900000\n")
    expect(concatScript('/a/b\nfile x', 1, 0)).toBeNull()
  })

  it('give the same frame as a fresh ffmpeg', async () => {
    const clip = (): string => mp4
    const before = runningProcessCount()
    const warm = new WarmFrames(ff.ffmpeg, ff.ffprobe)
    const signal = new AbortController().signal
    // Nothing is ready for the first request: it goes the ordinary way, and starts nothing
    // beside it. Once it is done, prepare() probes the clip and starts one waiting process.
    expect(await warm.frame(clip(), 1, 160, signal)).toBeNull()
    expect(runningProcessCount()).toBe(before)
    warm.prepare([clip()], 160)
    await settle(() => warm.waitingCount === 1 && runningProcessCount() === before + 1)
    for (const [i, seconds] of [0, 2.35, 4.05, 7.5].entries()) {
      // After each use, the process used is replaced.
      if (i > 0) await settle(() => warm.waitingCount === 1)
      const jpeg = await warm.frame(clip(), seconds, 160, signal)
      expect(jpeg, `frame at ${seconds} s`).not.toBeNull()
      expect(jpeg!.equals(await cold(clip(), seconds, 160)), `frame at ${seconds} s`).toBe(true)
    }
    warm.dispose()
    await settle(() => runningProcessCount() === before)
  })

  it('leave streams that seek by byte position (MPEG-TS) to a fresh ffmpeg', async () => {
    const warm = new WarmFrames(ff.ffmpeg, ff.ffprobe)
    expect(await warm.frame(ts, 1, 160, new AbortController().signal)).toBeNull()
    expect(warm.waitingCount).toBe(0)
    // The service still answers, the ordinary way.
    const frames = new FrameService(ff.ffmpeg, { ffprobe: ff.ffprobe })
    expect((await frames.jpeg({ view: 'ts', path: ts, seconds: 2, width: 160 })).equals(await cold(ts, 2, 160))).toBe(true)
    frames.dispose()
  })

  it('are stopped with the service, and a superseded request stops its ffmpeg', async () => {
    const before = runningProcessCount()
    const frames = new FrameService(ff.ffmpeg, { ffprobe: ff.ffprobe })
    await frames.jpeg({ view: 'v', path: mp4, seconds: 1, width: 200 })
    // Once the first frame is done (the ordinary way), one ffmpeg waits for the next frame of
    // this width (the start-time probe beside it ends).
    await settle(() => runningProcessCount() === before + 1)
    expect(runningProcessCount()).toBe(before + 1)
    const stale = frames.jpeg({ view: 'v', path: mp4, seconds: 2, width: 200 })
    const fresh = frames.jpeg({ view: 'v', path: mp4, seconds: 3, width: 200 })
    await expect(stale).rejects.toThrow('This frame request was replaced by a newer one.')
    expect((await fresh).length).toBeGreaterThan(1000)
    // Cached: no ffmpeg at all.
    const again = await frames.jpeg({ view: 'other', path: mp4, seconds: 3, width: 200 })
    expect(again.equals(await fresh)).toBe(true)
    frames.dispose()
    await settle(() => runningProcessCount() === before)
    expect(runningProcessCount()).toBe(before)
  })
})
