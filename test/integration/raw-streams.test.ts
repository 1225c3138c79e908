// Bare H.264/HEVC streams (no container: no duration, no index, packets without time; some NVRs
// export them) get `--sample auto` as their MP4 would: their frames and keyframe spacing are
// counted from their NAL units, so close keyframes are read alone (the same frames as the MP4's)
// and sparse ones give a frame step, with a progress total either way.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeDay } from '../../src/main/analysis/day'
import { scanAnnexB, type AnnexBCodec } from '../../src/main/media/annexb-scan'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { probeVideo, probeVideoAndKeyframeGap } from '../../src/main/media/probe'
import { SummarySchema, type Summary } from '../../src/shared/summary'
import type { KeptProbe } from '../../src/shared/video-info'
import { loggedTool, type LoggedTool } from '../helpers/logged-tool'
import { dwellmap } from '../helpers/run-cli'
import { testClipArgs } from '../helpers/test-clips'

const run = promisify(execFile)
const ff = locateFfmpeg()
let dir: string
let ffprobe: LoggedTool
/** 100 s at 10 fps, a keyframe every 0.2 s (500 of them), with B-frames: as an MP4 and bare. */
const close = { mp4: '', raw: '' }
/** The same in HEVC (x265, open GOPs: CRA keyframes). */
const closeHevc = { mp4: '', raw: '' }

/** The bare stream of an MP4's video, as an NVR exports it (the bitstream filter comes with -f). */
async function bare(mp4: string, codec: AnnexBCodec, name: string): Promise<string> {
  const path = join(dir, name)
  await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', mp4, '-c', 'copy', '-f', codec, path])
  return path
}

async function h264(name: string, seconds: number, gop: number): Promise<string> {
  const path = join(dir, name)
  await run(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds, gop, fixedGop: true }, path))
  return path
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-raw-'))
  ffprobe = await loggedTool(join(dir, 'ffprobe'), ff.ffprobe)
  close.mp4 = await h264('close.mp4', 100, 2)
  close.raw = await bare(close.mp4, 'h264', 'close.h264')
  closeHevc.mp4 = join(dir, 'close-hevc.mp4')
  await run(ff.ffmpeg, [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10:duration=62', '-pix_fmt', 'yuv420p',
    '-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=error:keyint=2:min-keyint=2:scenecut=0', '-tag:v', 'hvc1', closeHevc.mp4
  ])
  closeHevc.raw = await bare(closeHevc.mp4, 'hevc', 'close.hevc')
}, 300_000)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** ffprobe's own count of a bare stream's frames (packets) and of its keyframes' positions. */
async function ffprobeFrames(path: string): Promise<{ frames: number; keyframes: number[] }> {
  const { stdout } = await run(ff.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags', '-of', 'csv=p=0', path], { maxBuffer: 64 << 20 })
  const flags = stdout.split('\n').filter(Boolean)
  return { frames: flags.length, keyframes: flags.flatMap((f, i) => (f.includes('K') ? [i] : [])) }
}

async function analyze(input: string, ...options: string[]): Promise<{ summary: Summary; out: string; totals: Array<number | null>; stderr: string }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`)
  const r = await dwellmap('analyze', input, '--out', out, '--json', ...options)
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  const totals = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; stage?: string; framesTotal?: number | null })
    .filter((e) => e.type === 'progress' && e.stage === 'accumulating').map((e) => e.framesTotal ?? null)
  return { summary: SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))), out, totals, stderr: r.stderr }
}

describe('scanning a bare stream', () => {
  it('counts its frames and keyframes as ffprobe does (H.264 with B-frames, several slices a frame, HEVC)', async () => {
    const sliced = join(dir, 'sliced.h264')
    await run(ff.ffmpeg, [...testClipArgs({ size: '320x180', rate: 10, seconds: 20, gop: 25, ultrafast: true }, sliced).slice(0, -1), '-slices', '4', sliced])
    for (const [path, codec] of [[close.raw, 'h264'], [sliced, 'h264'], [closeHevc.raw, 'hevc']] as const) {
      const expected = await ffprobeFrames(path)
      const scan = await scanAnnexB(path, codec)
      expect({ frames: scan.frames, keyframes: scan.keyframes }).toEqual(expected)
      expect(scan.whole).toBe(true)
      // Start codes cut by the end of a read are found all the same.
      for (const chunkBytes of [4093, 65_537]) {
        const small = await scanAnnexB(path, codec, { chunkBytes })
        expect({ frames: small.frames, keyframes: small.keyframes }).toEqual(expected)
      }
    }
  })

  it('stops where it is told to: a number of frames or bytes', async () => {
    const scan = await scanAnnexB(close.raw, 'h264', { frames: 101, keyframesWithin: 50 })
    expect(scan).toEqual({ frames: 101, keyframes: Array.from({ length: 25 }, (_, k) => 2 * k), whole: false })
    const head = await scanAnnexB(close.raw, 'h264', { maxBytes: 100_000 })
    expect(head.whole).toBe(false)
    expect(head.frames).toBeGreaterThan(0)
    expect(head.frames).toBeLessThan(1000)
  })
})

describe('probing a bare stream', () => {
  it('gives its frames and the keyframe spacing of its MP4, without ffprobe listing its packets', async () => {
    for (const { mp4, raw } of [close, closeHevc]) {
      const fromMp4 = await probeVideoAndKeyframeGap(ff.ffprobe, mp4)
      await ffprobe.clear()
      const fromRaw = await probeVideoAndKeyframeGap(ffprobe.path, raw)
      expect(fromRaw.info.rawStream).toBe(true)
      expect(fromRaw.info.durationSeconds).toBeNull()
      expect(fromRaw.info.frameCount).toBe(fromMp4.info.frameCount)
      // HEVC: frames counted in stream order, where the first keyframe comes before frames shown
      // ahead of it: the spacing over two minutes moves by a frame at most.
      expect(fromRaw.keyframeGap).toBeCloseTo(fromMp4.keyframeGap!, 2)
      // Listing the packets of "two minutes" of a stream without timestamps reads the whole file.
      expect((await ffprobe.runs()).join('\n')).not.toMatch(/read_intervals|show_entries/)
      expect((await probeVideo(ff.ffprobe, raw)).frameCount).toBe(fromMp4.info.frameCount)
    }
  })

  it('reads the keyframe spacing of a bare stream that sorting puts first, from its own NAL units', async () => {
    // Given first, but its NVR name puts it an hour after the other one.
    const later = await h264('cam1_20260309090000.h264', 30, 100)
    const earlier = join(dir, 'cam1_20260309080000.h264')
    await writeFile(earlier, await readFile(close.raw))
    await ffprobe.clear()
    const day = await probeDay(ffprobe.path, [later, earlier], undefined, new AbortController().signal, undefined, { keyframeGap: true })
    expect(day.clips.map((c) => c.path)).toEqual([earlier, later])
    expect(day.keyframeGap).toBeCloseTo(0.2, 6)
    expect((await ffprobe.runs()).join('\n')).not.toMatch(/read_intervals|show_entries/)
  })

  it('probes again a bare stream kept before bare streams were scanned', async () => {
    const fresh = await probeVideoAndKeyframeGap(ff.ffprobe, close.raw)
    // As such a probe was: no mark, no frames, no spacing.
    const kept: KeptProbe = { ...fresh.info, rawStream: undefined, frameCount: null, keyframeGap: null }
    const day = await probeDay(ff.ffprobe, [close.raw], undefined, new AbortController().signal, undefined, { keyframeGap: true, known: [kept] })
    expect(day.clips[0].frameCount).toBe(1000)
    expect(day.clips[0].rawStream).toBe(true)
    expect(day.keyframeGap).toBeCloseTo(0.2, 6)
    // A kept probe made since stands.
    const again = await probeDay(ffprobe.path, [close.raw], undefined, new AbortController().signal, undefined, { keyframeGap: true, known: [{ ...fresh.info, keyframeGap: fresh.keyframeGap }] })
    expect(again.keyframeGap).toBe(fresh.keyframeGap)
  })
})

describe('--sample auto on a bare stream', () => {
  it('reads the keyframes alone when they are close: the same frames, heatmap and hours as its MP4', async () => {
    for (const { mp4, raw } of [close, closeHevc]) {
      const options = ['--reference', 'frame:0', '--start', '2026-03-09T08:59:30']
      const [fromMp4, fromRaw] = [await analyze(mp4, ...options), await analyze(raw, ...options)]
      expect(fromMp4.summary.resolved.sample).toBe('keyframes')
      expect(fromRaw.summary.resolved.sample).toBe('keyframes')
      expect(fromRaw.summary.frames).toEqual(fromMp4.summary.frames)
      expect(fromRaw.summary.hours.map((h) => h.framesUsed)).toEqual(fromMp4.summary.hours.map((h) => h.framesUsed))
      for (const file of ['heatmap.npy', 'hours.npy']) {
        expect(await readFile(join(fromRaw.out, file))).toEqual(await readFile(join(fromMp4.out, file)))
      }
      // A total to show progress against: the keyframes the spacing promises.
      const sampled = fromRaw.summary.frames.sampled
      expect(fromRaw.totals.length).toBeGreaterThan(0)
      for (const total of fromRaw.totals) expect(Math.abs(total! - sampled)).toBeLessThanOrEqual(1)
    }
  })

  it('takes a frame step when keyframes are far apart, or only the first frame is one', async () => {
    // 62 s at 10 fps: keyframes 10 s apart (7 of them), or one at the start. Every 2nd frame
    // gives the 300 samples a day needs.
    for (const [name, gop] of [['sparse.h264', 100], ['one-keyframe.h264', 1000]] as const) {
      const raw = await h264(name, 62, gop)
      const { summary, totals } = await analyze(raw)
      expect(summary.resolved.sample).toBe('every:2')
      expect(summary.frames.sampled).toBe(310)
      expect(new Set(totals)).toEqual(new Set([310]))
    }
  })

  it('a damaged or cut-off bare stream is still analysed, and a bare stream that is none says so', async () => {
    const damaged = join(dir, 'damaged.h264')
    const bytes = await readFile(close.raw)
    bytes.fill(0xab, bytes.length >> 1, (bytes.length >> 1) + 20_000)
    await writeFile(damaged, bytes)
    const fromDamaged = await analyze(damaged)
    expect(fromDamaged.summary.resolved.sample).toBe('keyframes')
    // The keyframes before and after the damage.
    expect(fromDamaged.summary.frames.sampled).toBeGreaterThan(480)

    // Cut off in the middle of a frame, as a recorder losing power leaves it.
    const cut = join(dir, 'cut.h264')
    await writeFile(cut, (await readFile(close.raw)).subarray(0, Math.floor(bytes.length * 0.7) + 777))
    const fromCut = await analyze(cut)
    expect(fromCut.summary.resolved.sample).toBe('keyframes')
    expect(fromCut.summary.frames.sampled).toBeGreaterThan(340)
    expect(fromCut.summary.frames.sampled).toBeLessThan(360)

    // A start code, then noise.
    const noise = join(dir, 'noise.h264')
    await writeFile(noise, Buffer.concat([Buffer.from([0, 0, 0, 1, 0x67]), Buffer.alloc(50_000, 0x5a)]))
    const r = await dwellmap('analyze', noise, '--out', join(dir, 'noise-out'))
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`dwellmap: ${noise}: has no video stream\n`)
  })
})
