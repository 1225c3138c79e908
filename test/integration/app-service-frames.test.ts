// Frame previews: the pre-started ffmpeg gives exactly the frame a fresh `-ss T -i CLIP` gives,
// MPEG-TS goes the ordinary way and still gives the frame at the moment asked, and stale
// requests stop.
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
import { testClipArgs } from '../helpers/test-clips'

const ff = locateFfmpeg()
let tmp: string
let mp4: string
let ts: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "dwellmap-frames-'quote "))
  mp4 = (await generateClip(testClip({ name: 'frames', seconds: 8 }), tmp, ff.ffmpeg)).videoPath
  ts = join(tmp, "it's a stream.ts")
  await run(ff.ffmpeg, ['-v', 'error', '-i', mp4, '-c', 'copy', ts])
})

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** Waits (up to 20 s: the machine may be busy) until `check` holds. */
async function settle(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50))
}

const run = promisify(execFile)

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
    expect((await frames.jpeg({ view: 'ts', path: ts, seconds: 2, width: 160 })).equals(await cold(mp4, 2, 160))).toBe(true)
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

  it('say plainly that a clip moved or deleted is not there any more', async () => {
    const frames = new FrameService(ff.ffmpeg)
    const gone = join(tmp, 'gone.mp4')
    await expect(frames.jpeg({ view: 'gone', path: gone, seconds: 1, width: 160 })).rejects.toThrow(
      `${gone} is not there any more: it was moved or deleted. Put it back, or remove it from the day's footage and add it again from where it is now.`
    )
    frames.dispose()
  })

  // MPEG-TS seeks by byte position and lands on the first keyframe after where it aims: a seek
  // to 9.4 s of a 10 s clip with keyframes every second gave no frame, one to 54 s of a clip
  // with keyframes every 4 s the frame at 56 s. A bare stream cannot seek at all.
  it.each([
    { gop: 25, seconds: 10, moments: [0, 0.04, 3.2, 8.96, 9.4, 9.6, 9.96] },
    { gop: 100, seconds: 24, moments: [1.5, 6, 13, 14, 15, 17.52, 19.9, 23.96] }
  ])('give the frame at the moment asked in MPEG-TS and bare H.264, keyframes every $gop frames', async ({ gop, seconds, moments }) => {
    const base = join(tmp, `gop-${gop}`)
    await run(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 25, seconds, gop, fixedGop: true }, `${base}.mp4`))
    await run(ff.ffmpeg, ['-v', 'error', '-i', `${base}.mp4`, '-c', 'copy', `${base}.ts`])
    await run(ff.ffmpeg, ['-v', 'error', '-i', `${base}.mp4`, '-c', 'copy', '-f', 'h264', `${base}.h264`])
    const frames = new FrameService(ff.ffmpeg)
    for (const path of [`${base}.ts`, `${base}.h264`]) {
      for (const moment of moments) {
        // The MP4 it was copied from seeks exactly (by its index): the same picture, the same JPEG.
        const jpeg = await frames.jpeg({ view: path, path, seconds: moment, width: 160 })
        expect(jpeg.equals(await cold(`${base}.mp4`, moment, 160)), `${path} at ${moment} s`).toBe(true)
      }
    }
    frames.dispose()
  })
})
