// The decoding shortcuts the engine takes for speed must not change which frames it sees:
// parallel keyframe segments and keyframes read through the container's index give exactly the
// frames of one whole decode, and the one-run keyframe grab for the empty scene gives the
// keyframe at or before each moment.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { medianImage, removeGhosts, spreadSampleTimes } from '../../src/main/analysis/background'
import { planDecode } from '../../src/main/analysis/decode-plan'
import { earlyDecoder } from '../../src/main/analysis/early-decoder'
import { runningProcessCount } from '../../src/main/media/processes'
import { backgroundFrames, framesBySeeking, loadReference, onePassIsCheaper, tooFewKeyframes } from '../../src/main/analysis/reference'
import { decodeGrayFrames, grayDecodeArgs, storedLuma, type GrayDecodeOptions } from '../../src/main/media/gray-frames'
import { limitedLumaTable } from '../../src/main/media/luma-range'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { keyframesNear } from '../../src/main/media/keyframes-near'
import { decodeFedKeyframes } from '../../src/main/media/fed-keyframes'
import { readMp4Keyframes } from '../../src/main/media/mp4-keyframes'
import { keyframeGapSeconds } from '../../src/main/media/keyframes'
import { probeVideo, probeVideoAndKeyframeGap, type VideoInfo } from '../../src/main/media/probe'
import { testClipArgs } from '../helpers/test-clips'

const run = promisify(execFile)
const ff = locateFfmpeg()
const grid = { width: 160, height: 90 }
let dir: string
let clip: VideoInfo
/** Hashes of every keyframe of the clip, decoded in one run: keyframe k is at k seconds. */
let keyframes: string[]
/** The same, decoded as the analysis decodes a clip it has probed: its Y plane scaled alone, then
 *  its range changed (see toGrayGrid). */
let planeKeyframes: string[]

const hash = (f: Uint8Array): string => createHash('sha1').update(f).digest('hex')

/** 70 s at 10 fps with a keyframe every second: long enough for two parallel segments. */
async function makeClip(path: string, seconds = 70): Promise<void> {
  await run(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds, gop: 10, fixedGop: true }, path))
}

function decodeOptions(segment?: GrayDecodeOptions['segment']): GrayDecodeOptions {
  return { ffmpeg: ff.ffmpeg, input: clip.path, ...grid, sampling: { kind: 'keyframes' }, segment }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-decoding-'))
  await makeClip(join(dir, 'day.mp4'))
  clip = await probeVideo(ff.ffprobe, join(dir, 'day.mp4'))
  keyframes = []
  await decodeGrayFrames(decodeOptions(), (f) => keyframes.push(hash(f)))
  planeKeyframes = []
  await decodeGrayFrames({ ...decodeOptions(), source: clip }, (f) => planeKeyframes.push(hash(f)))
}, 120_000)

describe('parallel keyframe segments', () => {
  it('together give every keyframe of a whole decode exactly once, in order', async () => {
    expect(keyframes).toHaveLength(70)
    // A container without a keyframe index (Matroska, MPEG-TS...): one single-threaded segment per core.
    const { tasks, concurrency } = planDecode([{ ...clip, keyframeIndex: undefined }], { kind: 'keyframes' }, 2)
    expect(concurrency).toBe(2)
    expect(tasks.every((t) => t.threads === undefined)).toBe(true)
    expect(tasks).toHaveLength(2)
    expect(tasks[0].segment?.to).toBeDefined()
    const parts = await Promise.all(tasks.map(async (t) => {
      const got: string[] = []
      await decodeGrayFrames(decodeOptions(t.segment), (f) => got.push(hash(f)))
      return got
    }))
    expect(parts.flat()).toEqual(keyframes)
  })

  it('cut at a keyframe, an early segment ends before it and the next starts with it', async () => {
    const early: string[] = []
    const late: string[] = []
    await decodeGrayFrames(decodeOptions({ from: 0, to: 20 }), (f) => early.push(hash(f)))
    await decodeGrayFrames(decodeOptions({ from: 20, to: 30 }), (f) => late.push(hash(f)))
    expect(early).toEqual(keyframes.slice(0, 20))
    expect(late).toEqual(keyframes.slice(20, 30))
  })
})

describe('keyframes read through the container index', () => {
  it('is what probing says of MP4 and MOV, and of no container whose demuxer reads every packet', async () => {
    expect(clip.keyframeIndex).toBe(true)
    for (const ext of ['mov', 'mkv', 'ts']) {
      const other = join(dir, `remuxed.${ext}`)
      await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clip.path, '-c', 'copy', other])
      expect((await probeVideo(ff.ffprobe, other)).keyframeIndex).toBe(ext === 'mov' ? true : undefined)
    }
  })

  it('reads the keyframe spacing in the probe itself, as a probe and a packet listing apart do', async () => {
    // With a sound track (its packets come first in the listing) and in containers of each kind.
    const withSound = join(dir, 'with-sound.mkv')
    const transport = join(dir, 'gap.ts')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=70', '-i', clip.path, '-map', '0:a', '-map', '1:v', '-c:v', 'copy', '-c:a', 'aac', withSound])
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clip.path, '-c', 'copy', transport])
    for (const path of [clip.path, transport, withSound]) {
      const both = await probeVideoAndKeyframeGap(ff.ffprobe, path)
      expect(both.info).toEqual(await probeVideo(ff.ffprobe, path))
      expect(both.keyframeGap).toBe(await keyframeGapSeconds(ff.ffprobe, path))
      expect(both.keyframeGap).toBeCloseTo(1, 3)
    }
    // A clip it cannot read is judged as the plain probe judges it.
    const text = join(dir, 'notes.mp4')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=1', '-f', 'wav', text])
    const problems = await Promise.all([probeVideoAndKeyframeGap(ff.ffprobe, text), probeVideo(ff.ffprobe, text)].map((p) => p.catch((e: Error) => e.message)))
    expect(problems[0]).toBe(problems[1])
    expect(problems[0]).toMatch(/notes\.mp4/)
  })

  it('has the demuxer drop the other frames only where the container indexes keyframes', () => {
    const args = (source: GrayDecodeOptions['source'], threads?: number) =>
      grayDecodeArgs({ ...decodeOptions(), source, threads }).join(' ')
    expect(args(clip, 3)).toContain('-discard nokey -skip_frame nokey -threads 3')
    expect(args({ ...clip, keyframeIndex: undefined }, 3)).toContain('-skip_frame nokey -threads 1')
    expect(args({ ...clip, keyframeIndex: undefined }, 3)).not.toContain('-discard')
  })

  it('plans one threaded decoder per two cores, and segments for clips without an index', () => {
    const keyframesOnly = { kind: 'keyframes' } as const
    expect(planDecode([clip], keyframesOnly, 2)).toEqual({ tasks: [{ clipIndex: 0, offsetSeconds: 0, threads: 3 }], concurrency: 1 })
    expect(planDecode([clip], keyframesOnly, 1)).toEqual({ tasks: [{ clipIndex: 0, offsetSeconds: 0, threads: 1 }], concurrency: 1 })
    const four = planDecode([clip], keyframesOnly, 4)
    expect(four.concurrency).toBe(2)
    expect(four.tasks.map((t) => [t.segment?.from, t.threads])).toEqual([[0, 3], [35, 3]])
    const mixed = planDecode([clip, { ...clip, keyframeIndex: undefined }], keyframesOnly, 2)
    expect(mixed.concurrency).toBe(2)
    expect(mixed.tasks.map((t) => [t.clipIndex, t.threads])).toEqual([[0, 3], [1, undefined], [1, undefined]])
  })

  it('cuts long clips into tasks of at most half an hour, so that a stopped run resumes near where it stopped', () => {
    const hour = { ...clip, durationSeconds: 3600 }
    const indexed = planDecode([hour], { kind: 'keyframes' }, 2)
    expect(indexed.concurrency).toBe(1)
    expect(indexed.tasks.map((t) => [t.segment?.from, t.segment?.to, t.threads])).toEqual([[0, 1800, 3], [1800, undefined, 3]])
    const unindexed = planDecode([{ ...hour, durationSeconds: 7200, keyframeIndex: undefined }], { kind: 'keyframes' }, 2)
    expect(unindexed.concurrency).toBe(2)
    expect(unindexed.tasks.map((t) => t.segment?.from)).toEqual([0, 1800, 3600, 5400])
  })

  it('gives exactly the keyframes the decoder finds by itself, whole or in segments', async () => {
    for (const cores of [2, 4]) {
      const { tasks } = planDecode([clip], { kind: 'keyframes' }, cores)
      const parts = await Promise.all(tasks.map(async (t) => {
        const got: string[] = []
        await decodeGrayFrames({ ...decodeOptions(t.segment), source: clip, threads: t.threads }, (f) => got.push(hash(f)))
        return got
      }))
      expect(parts.flat()).toEqual(planeKeyframes)
    }
  })
})

describe('every Nth frame, one single-threaded decoder per core', () => {
  const every5 = { kind: 'every', n: 5 } as const
  const allFrames = async (o: Partial<GrayDecodeOptions>, source: VideoInfo = clip): Promise<string[]> => {
    const got: string[] = []
    await decodeGrayFrames({ ...decodeOptions(), source, sampling: every5, ...o }, (f) => got.push(hash(f)))
    return got
  }

  it('knows the frame grid of constant-rate footage only', async () => {
    expect(clip.frameGridStart).toBe(0)
    const vfr = join(dir, 'vfr.mp4')
    // Timestamps in milliseconds, so that the rate change survives the encoder.
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clip.path, '-t', '10', '-vf', "settb=1/1000,setpts='if(lt(N,30),N/10,3+(N-30)/25)/TB'",
      '-fps_mode', 'vfr', '-enc_time_base', '1/1000', '-video_track_timescale', '1000', '-c:v', 'libx264', vfr])
    expect((await probeVideo(ff.ffprobe, vfr)).frameGridStart).toBeUndefined()
  })

  it('cuts a constant-rate clip into parts that start on a sampled frame\'s rhythm', () => {
    const { tasks, concurrency } = planDecode([clip], every5, 2)
    expect(concurrency).toBe(2)
    // 700 frames: the second part starts at frame 350, a multiple of 5, half a frame early.
    expect(tasks.map((t) => [t.segment?.from, t.segment?.to, t.offsetSeconds, t.threads])).toEqual([[-0.05, 34.95, 0, 1], [34.95, undefined, 35, 1]])
    const third = planDecode([clip], { kind: 'every', n: 3 }, 2).tasks
    expect(third.map((t) => Math.round(t.offsetSeconds * 10))).toEqual([0, 351])
    // Without a known grid a clip stays whole; clips of a day still decode side by side.
    const unknown = { ...clip, frameGridStart: undefined }
    expect(planDecode([unknown], every5, 2)).toEqual({ tasks: [{ clipIndex: 0, offsetSeconds: 0 }], concurrency: 1 })
    expect(planDecode([unknown, unknown], every5, 2)).toEqual({
      tasks: [{ clipIndex: 0, offsetSeconds: 0, threads: 1 }, { clipIndex: 1, offsetSeconds: 0, threads: 1 }], concurrency: 2
    })
    expect(planDecode([clip], every5, 1)).toEqual({ tasks: [{ clipIndex: 0, offsetSeconds: 0 }], concurrency: 1 })
    // An fps filter would start its own grid in each part: such clips are not cut.
    expect(planDecode([clip], { kind: 'fps', fps: 2 }, 2).tasks).toHaveLength(1)
  })

  it('gives exactly the frames of one decode of the whole clip, on one thread each', async () => {
    const whole = await allFrames({})
    expect(whole).toHaveLength(140)
    expect(grayDecodeArgs({ ...decodeOptions(), sampling: every5, threads: 1 }).join(' ')).toContain('-threads 1 -i')
    for (const cores of [2, 3]) {
      const { tasks } = planDecode([clip], every5, cores)
      const parts = await Promise.all(tasks.map((t) => allFrames({ segment: t.segment, threads: t.threads })))
      expect(parts.flat()).toEqual(whole)
    }
  })

  it('does so on a clip whose timestamps start late, with B-frames (MPEG-TS), as keyframe segments do', async () => {
    const ts = join(dir, 'late.ts')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=64',
      '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-bf', '3', '-g', '50', '-output_ts_offset', '7.3', ts])
    const late = await probeVideo(ff.ffprobe, ts)
    expect(late.frameGridStart).toBeGreaterThan(7)
    const whole = await allFrames({ input: ts }, late)
    expect(whole).toHaveLength(320)
    const { tasks } = planDecode([late], every5, 2)
    expect(tasks).toHaveLength(2)
    const parts = await Promise.all(tasks.map((t) => allFrames({ input: ts, segment: t.segment, threads: t.threads }, late)))
    expect(parts.flat()).toEqual(whole)
    // The same seek serves the keyframe segments of such clips.
    const keys = { sampling: { kind: 'keyframes' } as const, input: ts }
    const wholeKeys = await allFrames(keys, late)
    const keyTasks = planDecode([late], { kind: 'keyframes' }, 2).tasks
    expect(keyTasks).toHaveLength(2)
    const keyParts = await Promise.all(keyTasks.map((t) => allFrames({ ...keys, segment: t.segment, threads: t.threads }, late)))
    expect(keyParts.flat()).toEqual(wholeKeys)
  })
})

describe('keyframes near moments, in one ffmpeg run', () => {
  const options = () => ({ ffmpeg: ff.ffmpeg, ...grid })

  it('gives the keyframe at or just before each moment, in the order asked, and only keyframes', async () => {
    const seconds = [0.5, 10.2, 35, 69.5, 3.9, 12.95]
    const frames = (await keyframesNear(seconds.map((s) => ({ input: clip.path, seconds: s })), options())).map(hash)
    for (const f of frames) expect(keyframes).toContain(f)
    // Each moment's keyframe is there, in order; at most one more (the keyframe right after a
    // moment, cut by decode time) may follow it.
    let at = 0
    for (const s of seconds) {
      const found = frames.indexOf(keyframes[Math.floor(s)], at)
      expect(found - at).toBeGreaterThanOrEqual(0)
      expect(found - at).toBeLessThanOrEqual(1)
      at = found + 1
    }
    expect(frames.length - at).toBeLessThanOrEqual(1)
  })

  it('reads clips whose names need quoting, across several clips, and writes no file', async () => {
    const odd = join(dir, "it's a shop, day 2")
    await mkdir(odd)
    const other = join(odd, "cam 1's clip.mp4")
    await copyFile(clip.path, other)
    const before = await readdir(dir)
    const frames = await keyframesNear([{ input: clip.path, seconds: 5 }, { input: other, seconds: 12.5 }], options())
    expect(frames.map(hash)).toEqual([keyframes[5], keyframes[12]])
    expect(await readdir(dir)).toEqual(before)
  })

  it('names the clip when it cannot be read', async () => {
    await expect(keyframesNear([{ input: join(dir, 'missing.mp4'), seconds: 1 }], options())).rejects.toThrow(/missing\.mp4/)
  })
})

describe('automatic empty scene', () => {
  it('takes its frames from keyframes in one run when keyframes are close together', async () => {
    const times = spreadSampleTimes([clip.durationSeconds!], 31)
    const { frames, how } = await backgroundFrames({ ffmpeg: ff.ffmpeg, clips: [clip], grid }, times)
    expect(how).toBe('keyframes')
    const picked = new Set(frames.map(hash))
    expect(picked.size).toBe(frames.length)
    for (const t of times) expect(picked.has(planeKeyframes[Math.floor(t.seconds)])).toBe(true)
    for (const f of picked) expect(planeKeyframes).toContain(f)
  })

  it('takes the exact frames instead when keyframes are too sparse to give enough different frames: one pass for a short clip, or seeks', async () => {
    // Keyframes 5 s apart in 20 s: 4 keyframes for 31 moments.
    const sparse = join(dir, 'sparse.mp4')
    await run(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds: 20, gop: 50, fixedGop: true }, sparse))
    const info = await probeVideo(ff.ffprobe, sparse)
    const all: string[] = []
    await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: sparse, ...grid, source: info, sampling: { kind: 'every', n: 1 } }, (f) => all.push(hash(f)))
    const times = spreadSampleTimes([info.durationSeconds!], 31)
    const ctx = { ffmpeg: ff.ffmpeg, clips: [info], grid }
    const { frames, how } = await backgroundFrames(ctx, times)
    expect(how).toBe('one pass')
    // An exact seek gives the first frame shown at or after the moment (10 fps); so does the pass.
    const expected = times.map((t) => all[Math.ceil(t.seconds * 10 - 1e-6)])
    expect(frames.map(hash)).toEqual(expected)
    expect((await framesBySeeking(ctx, times)).map(hash)).toEqual(expected)
  })

  it('decodes a longer clip whole instead of seeking when its keyframe spacing says seeks would cost more', async () => {
    // 70 s at 25 fps (1750 frames) with a keyframe every 10 s: each of 31 exact seeks decodes
    // ~125 frames from the keyframe before its moment, more than the clip in all.
    const gop = join(dir, 'long-gop.mp4')
    await run(ff.ffmpeg, testClipArgs({ size: '160x90', rate: 25, seconds: 70, gop: 250, fixedGop: true }, gop))
    const { info, keyframeGap } = await probeVideoAndKeyframeGap(ff.ffprobe, gop)
    expect(info.frameCount).toBe(1750)
    expect(keyframeGap).toBeCloseTo(10, 3)
    const times = spreadSampleTimes([info.durationSeconds!], 31)
    const unknown = await backgroundFrames({ ffmpeg: ff.ffmpeg, clips: [info], grid }, times)
    expect(unknown.how).toBe('seeks')
    const known = await backgroundFrames({ ffmpeg: ff.ffmpeg, clips: [info], grid, keyframeGap }, times)
    expect(known.how).toBe('one pass')
    expect(known.frames.map(hash)).toEqual(unknown.frames.map(hash))
    expect(known.frames).toHaveLength(31)
  })

  it('prices seeks by the keyframe spacing, and skips the keyframe route when the day has too few keyframes', () => {
    const at = (frameCount: number): VideoInfo => ({ ...clip, fps: 25, frameCount, durationSeconds: frameCount / 25 })
    expect(onePassIsCheaper(at(1500), 31, null)).toBe(true)
    expect(onePassIsCheaper(at(3000), 31, null)).toBe(false)
    // Two minutes, a keyframe every 10 s: 31 x (125 + 50) frames of seeking against 3000.
    expect(onePassIsCheaper(at(3000), 31, 10)).toBe(true)
    // Ten minutes, a keyframe every 2 s: seeks decode far less than the clip.
    expect(onePassIsCheaper(at(15000), 31, 2)).toBe(false)
    expect(onePassIsCheaper({ ...at(3000), fps: null }, 31, 10)).toBe(false)
    // 19 different keyframes are needed: 2 minutes with one every 10 s hold 13.
    expect(tooFewKeyframes([at(3000)], 10)).toBe(true)
    expect(tooFewKeyframes([at(3000), at(3000), at(3000)], 10)).toBe(false)
    expect(tooFewKeyframes([at(3000)], 2)).toBe(false)
    expect(tooFewKeyframes([at(3000)], null)).toBe(false)
  })

  it('reads the frames another way when a clip name cannot go into a concat list', async () => {
    // An MP4's keyframes are picked from its index (no list); a Matroska clip's would need the list.
    for (const [ext, way] of [['mp4', 'keyframes'], ['mkv', 'one pass']] as const) {
      const odd = join(dir, `line\nbreak.${ext}`)
      await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clip.path, '-c', 'copy', odd])
      const info = await probeVideo(ff.ffprobe, odd)
      const { frames, how } = await backgroundFrames({ ffmpeg: ff.ffmpeg, clips: [info], grid }, spreadSampleTimes([info.durationSeconds!], 31))
      expect(how).toBe(way)
      expect(frames.length).toBeGreaterThanOrEqual(19)
    }
  })

  it('is the median of those frames with its ghosts removed', async () => {
    const ctx = { ffmpeg: ff.ffmpeg, clips: [clip], grid }
    const { frames } = await backgroundFrames(ctx, spreadSampleTimes([clip.durationSeconds!], 31))
    const expected = removeGhosts(frames, medianImage(frames, grid.width * grid.height), grid.width, grid.height)
    const loaded = await loadReference({ kind: 'auto' }, ctx)
    expect(Buffer.from(loaded.gray).equals(Buffer.from(expected))).toBe(true)
    expect(loaded.resolved).toBe(`auto: median of ${frames.length} frames spread over the day (the keyframes nearest), ghosts removed`)
  })
})

describe('grey frames from the Y plane alone', () => {
  /**
   * Every frame of a clip at half size: by the general conversion, by the shortcut, and as stored
   * luma expanded here with the same table (the analysis's own decoders and kernels); and the
   * stored plane at full size.
   */
  async function threeWays(path: string) {
    const info = await probeVideo(ff.ffprobe, path)
    const size = { width: info.width / 2, height: info.height / 2 }
    const every = { kind: 'every', n: 1 } as const
    const frames = async (o: Partial<GrayDecodeOptions>): Promise<Uint8Array[]> => {
      const got: Uint8Array[] = []
      await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: path, ...size, sampling: every, ...o }, (f) => got.push(Uint8Array.from(f)))
      return got
    }
    const stored = await frames({ source: info, acceptStoredLuma: true })
    const expanded = info.lumaPlane === 'limited' ? stored.map((f) => f.map((v) => limitedLumaTable[v])) : stored
    const plane = await frames({ source: info, acceptStoredLuma: true, width: info.width, height: info.height })
    return { general: await frames({}), shortcut: await frames({ source: info }), expanded, plane, info, size }
  }

  /**
   * The shortcut gives what the consumers of stored luma make of it. The general conversion
   * changes the range before it averages, clipping luma outside 16-235 first; the shortcut after:
   * within a grey level of each other, except where the four source pixels hold such luma.
   */
  function expectAgreement({ general, shortcut, expanded, plane, size }: Awaited<ReturnType<typeof threeWays>>): void {
    expect(shortcut.map(hash)).toEqual(expanded.map(hash))
    expect(shortcut.length).toBe(general.length)
    const w = size.width * 2
    let within = 0
    let outside = 0
    shortcut.forEach((f, k) => f.forEach((v, i) => {
      if (Math.abs(v - general[k][i]) <= 1) return within++
      const [x, y] = [(i % size.width) * 2, Math.floor(i / size.width) * 2]
      const block = [0, 1, w, w + 1].map((d) => plane[k][y * w + x + d])
      expect(block.some((luma) => luma < 16 || luma > 235)).toBe(true)
      outside++
    }))
    expect(outside).toBeLessThan(within / 100)
  }

  const cases: Array<[string, string[], 'limited' | 'full']> = [
    ['yuv420p.mp4', ['-pix_fmt', 'yuv420p', '-c:v', 'libx264'], 'limited'],
    ['yuvj420p.mp4', ['-pix_fmt', 'yuvj420p', '-c:v', 'libx264'], 'full'],
    ['flagged-pc.mp4', ['-pix_fmt', 'yuv420p', '-color_range', 'pc', '-c:v', 'libx264'], 'full'],
    ['yuv444p.mkv', ['-pix_fmt', 'yuv444p', '-c:v', 'libx264'], 'limited'],
    ['mjpeg.avi', ['-pix_fmt', 'yuvj422p', '-c:v', 'mjpeg'], 'full']
  ]
  for (const [name, args, range] of cases) {
    it(`gives the bytes the consumers of stored luma make, within a grey level of the general conversion: ${name}`, async () => {
      const path = join(dir, name)
      await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=10:duration=2', ...args, path])
      const ways = await threeWays(path)
      expect(ways.info.lumaPlane).toBe(range)
      expect(ways.general).toHaveLength(20)
      expectAgreement(ways)
      // Full-range planes need no range change: the same bytes as the general conversion.
      if (range === 'full') expect(ways.shortcut.map(hash)).toEqual(ways.general.map(hash))
    })
  }

  it('does so on real footage', async () => {
    const ways = await threeWays(join('..', 'shared', 'footage', 'TUD-Campus.mp4'))
    expect(ways.info.lumaPlane).toBe('limited')
    expectAgreement(ways)
  })

  it('leaves the range change to the consumer: the same bytes after it at the clip\'s own size, within a grey level when scaled', async () => {
    // Every luma code 0-255 in one picture (lossless, so the decoder gives them back as they are).
    const path = join(dir, 'ramp.mkv')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=256x16:d=0.3:r=10,format=yuv420p,geq=lum=X:cb=128:cr=128',
      '-c:v', 'libx264', '-qp', '0', path])
    const info = await probeVideo(ff.ffprobe, path)
    expect(storedLuma({ source: info })).toBe('limited')
    const sampling = { kind: 'every', n: 1 } as const
    const bothWays = async (size: { width: number; height: number }): Promise<{ general: Uint8Array[]; expanded: Uint8Array[]; stored: Uint8Array[] }> => {
      const general: Uint8Array[] = []
      const stored: Uint8Array[] = []
      await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: path, ...size, sampling }, (f) => general.push(Uint8Array.from(f)))
      await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: path, ...size, source: info, acceptStoredLuma: true, sampling }, (f) => stored.push(Uint8Array.from(f)))
      return { general, stored, expanded: stored.map((f) => f.map((v) => limitedLumaTable[v])) }
    }
    const own = await bothWays({ width: 256, height: 16 })
    expect(own.stored).toHaveLength(3)
    expect(Array.from(own.stored[0].subarray(0, 256))).toEqual(Array.from({ length: 256 }, (_, v) => v))
    expect(own.expanded.map((f) => Buffer.from(f).toString('hex'))).toEqual(own.general.map((f) => Buffer.from(f).toString('hex')))
    // Scaled, the stored plane is averaged first and rounded once before the expansion.
    const half = await bothWays({ width: 128, height: 8 })
    expect(half.stored).toHaveLength(3)
    // Codes 2x and 2x+1 averaged, still as stored (not expanded).
    expect(Array.from(half.stored[0].subarray(0, 128)).every((v, x) => v === 2 * x || v === 2 * x + 1)).toBe(true)
    const diffs = half.expanded.flatMap((f, k) => Array.from(f, (v, i) => Math.abs(v - half.general[k][i])))
    expect(Math.max(...diffs)).toBeLessThanOrEqual(1)
  })

  it('is not taken for pictures that are not planar YUV', async () => {
    const path = join(dir, 'rgb.png')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180', '-frames:v', '1', path])
    expect((await probeVideo(ff.ffprobe, path).catch(() => null))?.lumaPlane).toBeUndefined()
  })
})

describe('a frame consumer that works asynchronously', () => {
  const everyFrame = (): GrayDecodeOptions => ({ ...decodeOptions(), sampling: { kind: 'every', n: 1 } })

  it('gets every frame in order, one at a time, while the next one is read', async () => {
    const expected: string[] = []
    await decodeGrayFrames(everyFrame(), (f) => expected.push(hash(f)))
    expect(expected).toHaveLength(700)
    const seen: string[] = []
    let busy = false
    let overlapped = false
    const count = await decodeGrayFrames(everyFrame(), (f, k) => {
      if (busy) overlapped = true
      busy = true
      // What the consumer needs is taken before it returns; the buffer is refilled meanwhile.
      seen.push(hash(f))
      // Slow at the end: the pipe closes while read frames still wait for the consumer.
      return new Promise<void>((resolve) => setTimeout(() => {
        busy = false
        resolve()
      }, k >= 690 ? 30 : k % 7 === 0 ? 3 : 0))
    })
    expect(overlapped).toBe(false)
    expect(count).toBe(700)
    expect(seen).toEqual(expected)
  })

  it('stops the decoder and fails the run with the consumer\'s own error', async () => {
    let calls = 0
    const decoding = decodeGrayFrames(everyFrame(), async (_f, k) => {
      calls++
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (k === 10) throw new Error('kernel failed at frame 10')
    })
    await expect(decoding).rejects.toThrow('kernel failed at frame 10')
    expect(calls).toBeLessThanOrEqual(12)
  })
})

describe('decodes started before they are read (the first tasks, during the reference)', () => {
  const task = { clipIndex: 0, offsetSeconds: 0, threads: 2 }
  const options = (): GrayDecodeOptions => ({ ...decodeOptions(), source: clip, threads: 2 })

  it('gives every frame once read, and goes to its own task only, once', async () => {
    const early = earlyDecoder([task], options, true)
    void early.start()
    void early.start()
    // It runs ahead meanwhile; its frames wait in the pipe.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(early.take({ ...task })).toBeUndefined()
    const tool = early.take(task)
    expect(tool).toBeDefined()
    expect(early.take(task)).toBeUndefined()
    const got: string[] = []
    await decodeGrayFrames(options(), (f) => got.push(hash(f)), tool)
    expect(got).toEqual(planeKeyframes)
  })

  it('does not start where a run may resume, and is stopped when nobody takes it', async () => {
    const before = runningProcessCount()
    const notAllowed = earlyDecoder([task], options, false)
    await notAllowed.start()
    expect(runningProcessCount()).toBe(before)
    expect(notAllowed.take(task)).toBeUndefined()
    const unused = earlyDecoder([task], options, true)
    // It spawns once its frame socket is connected, a moment later, which start() waits for (the
    // empty scene's median blocks the loop right after).
    await unused.start()
    expect(runningProcessCount()).toBe(before + 1)
    unused.dispose()
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(before)
  })

  it('starts one run per first task, each read by its own task', async () => {
    const before = runningProcessCount()
    // The two halves of the clip's keyframes, as two decoder slots would run them.
    const halves = [{ clipIndex: 0, offsetSeconds: 0, segment: { from: 0, to: 35 } }, { clipIndex: 0, offsetSeconds: 35, segment: { from: 35 } }]
    const early = earlyDecoder(halves, (t) => ({ ...decodeOptions(t.segment), source: clip }), true)
    await early.start()
    expect(runningProcessCount()).toBe(before + 2)
    const got: string[][] = [[], []]
    // The second half is read first: each run holds its own frames.
    for (const i of [1, 0]) await decodeGrayFrames({ ...decodeOptions(halves[i].segment), source: clip }, (f) => got[i].push(hash(f)), early.take(halves[i]))
    expect([...got[0], ...got[1]]).toEqual(planeKeyframes)
    expect(early.take(halves[0])).toBeUndefined()
  })
})

describe('keyframes without the deblocking filter (occupancy\'s decoders)', () => {
  /** Every frame of a decode, copied. */
  async function frames(o: Partial<GrayDecodeOptions>): Promise<Uint8Array[]> {
    const got: Uint8Array[] = []
    await decodeGrayFrames({ ...decodeOptions(), source: clip, ...o }, (f) => got.push(Uint8Array.from(f)))
    return got
  }
  const meanAbsDifference = (a: Uint8Array[], b: Uint8Array[]): number => {
    let sum = 0
    let n = 0
    for (const [k, f] of a.entries()) for (let i = 0; i < f.length; i++, n++) sum += Math.abs(f[i] - b[k][i])
    return sum / n
  }

  it('changes only the block edges of keyframes a little, on every route to them, and no other decode', async () => {
    // The test clip is x264's default preset, which deblocks.
    const filtered = await frames({})
    const unfiltered = await frames({ skipLoopFilter: true })
    expect(unfiltered).toHaveLength(70)
    const difference = meanAbsDifference(filtered, unfiltered)
    expect(difference).toBeGreaterThan(0)
    expect(difference).toBeLessThan(1)
    // The other routes to keyframes skip it alike: fed from the index, and near moments.
    const index = await readMp4Keyframes(clip.path)
    const fed: string[] = []
    await decodeFedKeyframes({ ffmpeg: ff.ffmpeg, ...grid, source: clip, skipLoopFilter: true }, [{ path: clip.path, index }], (f) => fed.push(hash(f)))
    expect(fed).toEqual(unfiltered.map(hash))
    const near = await keyframesNear([3, 40].map((seconds) => ({ input: clip.path, seconds })), { ffmpeg: ff.ffmpeg, ...grid, source: clip, skipLoopFilter: true })
    expect(near.map(hash)).toEqual([unfiltered[3], unfiltered[40]].map(hash))
    // A decode of every fifth frame predicts from filtered frames: left as it is.
    const every5 = { kind: 'every', n: 5 } as const
    expect((await frames({ sampling: every5, skipLoopFilter: true })).map(hash)).toEqual((await frames({ sampling: every5 })).map(hash))
  }, 60_000)
})
