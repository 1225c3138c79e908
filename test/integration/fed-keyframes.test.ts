// Keyframes of several short MP4 clips through one ffmpeg, fed by the worker from each clip's own
// index: the same frames as ffmpeg reading each clip itself, each with the right clip and time.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, copyFile, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { spreadSampleTimes } from '../../src/main/analysis/background'
import { decodeBatch } from '../../src/main/analysis/batch-decode'
import { FED_CLIP_SECONDS, planDecode } from '../../src/main/analysis/decode-plan'
import { backgroundFrames, framesFromIndex } from '../../src/main/analysis/reference'
import { runAnalysis } from '../../src/main/analysis/run-analysis'
import { decodeFedKeyframes, type FedFrameSource } from '../../src/main/media/fed-keyframes'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { decodeGrayFrames } from '../../src/main/media/gray-frames'
import { expandedLimitedLuma } from '../../src/main/media/luma-range'
import { indexStore, keyframeAtOrBefore, MAX_INDEXED_FRAMES, NotIndexed, readMp4Keyframes, toAnnexB } from '../../src/main/media/mp4-keyframes'
import { runningProcessCount } from '../../src/main/media/processes'
import { startWarmFedDecoder, type WarmFedDecoder } from '../../src/main/media/warm-fed-decoder'
import { InputError, probeVideo, type VideoInfo } from '../../src/main/media/probe'
import { defaultSettings, type AnalysisSettings } from '../../src/shared/settings'
import { loggedTool, type LoggedTool } from '../helpers/logged-tool'
import { distinctCopyArgs } from '../helpers/test-clips'

const run = promisify(execFile)
const ff = locateFfmpeg()
const grid = { width: 160, height: 90 }
const hash = (f: Uint8Array): string => createHash('sha1').update(f).digest('hex')
let dir: string
/** Three clips of different pictures and lengths, a keyframe every second (10 fps, GOP 10). */
let clips: VideoInfo[]
/** Each clip's keyframes as ffmpeg reading the clip itself decodes them for the kernel (stored luma). */
let alone: string[][]
/** The same, expanded to full-range grey (what the empty scene takes). */
let aloneGray: string[][]

async function makeClip(path: string, source: string, seconds: number, extra: string[] = []): Promise<void> {
  await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `${source}=size=320x180:rate=10:duration=${seconds}`,
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '10', '-keyint_min', '10', '-sc_threshold', '0', ...extra, path])
}

async function decodeAlone(clip: VideoInfo): Promise<{ stored: string[]; gray: string[] }> {
  const stored: string[] = []
  const gray: string[] = []
  await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: clip.path, ...grid, source: clip, acceptStoredLuma: true, sampling: { kind: 'keyframes' }, threads: 3 }, (f) => {
    stored.push(hash(f))
    gray.push(hash(expandedLimitedLuma(f)))
  })
  return { stored, gray }
}

const fedOptions = (source: VideoInfo) => ({ ffmpeg: ff.ffmpeg, ...grid, source, acceptStoredLuma: true, threads: 3 })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-fed-'))
  const made = [['testsrc2', 12], ['smptehdbars', 7], ['rgbtestsrc', 9]] as const
  clips = await Promise.all(made.map(async ([source, seconds], i) => {
    const path = join(dir, `clip${i}.mp4`)
    await makeClip(path, source, seconds)
    return probeVideo(ff.ffprobe, path)
  }))
  const decoded = await Promise.all(clips.map(decodeAlone))
  alone = decoded.map((d) => d.stored)
  aloneGray = decoded.map((d) => d.gray)
}, 120_000)

describe('the keyframes of an MP4 clip, from its own index', () => {
  it('lists every keyframe with its time, as ffmpeg finds them', async () => {
    const index = await readMp4Keyframes(clips[0].path)
    expect(index.keyframes).toHaveLength(alone[0].length)
    expect(index.keyframes.map((k) => k.seconds)).toEqual(Array.from({ length: 12 }, (_, i) => i))
    expect(index.lengthSize).toBe(4)
    // SPS then PPS, each behind a start code.
    expect([...index.parameterSets.subarray(0, 5)]).toEqual([0, 0, 0, 1, 0x67])
  })

  it("an analysis's store hands out the keyframes its probes kept, and reads any other clip's index", async () => {
    const store = indexStore()
    const kept = await readMp4Keyframes(clips[0].path)
    store.keep(clips[0].path, kept)
    expect(await store.read(clips[0].path)).toBe(kept)
    const other = await store.read(clips[1].path)
    expect(other.keyframes).toHaveLength(alone[1].length)
    // Not kept: read again each time it is asked for.
    expect(await store.read(clips[1].path)).not.toBe(other)
    await expect(store.read(join(dir, 'missing.mp4'))).rejects.toThrow()
  })

  it('refuses what a bare H.264 stream would get wrong, saying why', async () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['fragmented.mp4', ['-c', 'copy', '-movflags', 'frag_keyframe+empty_moov'], /fragmented|lists no frames/],
      ['rotated.mp4', ['-c', 'copy', '-metadata:s:v', 'rotate=90'], /rotated/],
      ['part2.mp4', ['-c:v', 'mpeg4', '-g', '10'], /not H\.264 or HEVC/],
      ['matroska.mkv', ['-c', 'copy'], /no index|past the end/]
    ]
    for (const [name, args, why] of cases) {
      const path = join(dir, name)
      await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clips[0].path, ...args, path])
      const err = await readMp4Keyframes(path).catch((e: unknown) => e)
      expect(err, name).toBeInstanceOf(NotIndexed)
      expect((err as Error).message, name).toMatch(why)
    }
    // A large box of the recorder's own before the index is not read into memory.
    const padded = join(dir, 'padded.mp4')
    const original = await readFile(clips[0].path)
    const free = Buffer.alloc(5 << 20)
    free.writeUInt32BE(free.length, 0)
    free.write('free', 4, 'latin1')
    const ftypSize = original.readUInt32BE(0)
    await writeFile(padded, Buffer.concat([original.subarray(0, ftypSize), free, original.subarray(ftypSize)]))
    await expect(readMp4Keyframes(padded)).rejects.toThrow(/free box is unusually large/)
    // Cut short: the media data runs past the end of the file (moov first) or the index is gone.
    for (const faststart of [true, false]) {
      const whole = join(dir, `whole-${faststart}.mp4`)
      await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clips[0].path, '-c', 'copy', ...(faststart ? ['-movflags', '+faststart'] : []), whole])
      const bytes = await readFile(whole)
      const cut = join(dir, `cut-${faststart}.mp4`)
      await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)))
      await expect(readMp4Keyframes(cut)).rejects.toBeInstanceOf(NotIndexed)
    }
  })

  it('turns length-prefixed NAL units into start codes, and refuses lengths that do not add up', () => {
    const four = Buffer.from([0, 0, 0, 2, 0x65, 0xaa, 0, 0, 0, 1, 0x06])
    expect([...toAnnexB(Buffer.from(four), 4)!]).toEqual([0, 0, 0, 1, 0x65, 0xaa, 0, 0, 0, 1, 0x06])
    const two = Buffer.from([0, 2, 0x65, 0xaa, 0, 1, 0x06])
    expect([...toAnnexB(two, 2)!]).toEqual([0, 0, 0, 1, 0x65, 0xaa, 0, 0, 0, 1, 0x06])
    expect(toAnnexB(Buffer.from([0, 0, 0, 9, 0x65, 0xaa]), 4)).toBeNull()
    expect(toAnnexB(Buffer.from([0, 0, 0, 0]), 4)).toBeNull()
  })
})

describe('keyframes of several clips through one decoder', () => {
  it('gives each clip the frames ffmpeg reading that clip gives, in order, with their clip and time', async () => {
    const indexes = await Promise.all(clips.map((c) => readMp4Keyframes(c.path)))
    const got: string[][] = clips.map(() => [])
    const sources: FedFrameSource[] = []
    // The caller hears once that ffmpeg runs, before any frame comes.
    const heard: string[] = []
    const onSpawned = (): void => void heard.push(`spawned after ${sources.length} frames`)
    const n = await decodeFedKeyframes({ ...fedOptions(clips[0]), onSpawned }, clips.map((c, i) => ({ path: c.path, index: indexes[i] })), (f, from) => {
      got[from.clip].push(hash(f))
      sources.push(from)
    })
    expect(heard).toEqual(['spawned after 0 frames'])
    expect(n).toBe(12 + 7 + 9)
    expect(got).toEqual(alone)
    expect(sources.filter((s) => s.clip === 1).map((s) => s.seconds)).toEqual([0, 1, 2, 3, 4, 5, 6])
  })

  it('at the clip\'s own size too, where the Y plane leaves ffmpeg as stored', async () => {
    const native = { ...grid, width: 320, height: 180 }
    const indexes = await Promise.all(clips.map((c) => readMp4Keyframes(c.path)))
    const fed: string[] = []
    await decodeFedKeyframes({ ...fedOptions(clips[0]), ...native }, clips.map((c, i) => ({ path: c.path, index: indexes[i] })), (f) => fed.push(hash(f)))
    const direct: string[] = []
    for (const c of clips) {
      await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: c.path, ...native, source: c, acceptStoredLuma: true, sampling: { kind: 'keyframes' }, threads: 3 }, (f) => direct.push(hash(f)))
    }
    expect(fed).toEqual(direct)
  })

  it('does the same for HEVC clips (open GOPs, as x265 makes them), and keeps codecs apart', async () => {
    const hevc = await Promise.all([['testsrc2', 6], ['smptehdbars', 4], ['rgbtestsrc', 5]].map(async ([source, seconds], i) => {
      const path = join(dir, `hevc${i}.mp4`)
      await makeClip(path, String(source), Number(seconds), ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'])
      return probeVideo(ff.ffprobe, path)
    }))
    expect(hevc.map((c) => c.codec)).toEqual(['hevc', 'hevc', 'hevc'])
    const expected = (await Promise.all(hevc.map(decodeAlone))).map((d) => d.stored)
    const indexes = await Promise.all(hevc.map((c) => readMp4Keyframes(c.path)))
    expect(indexes.map((x) => x.codec)).toEqual(['hevc', 'hevc', 'hevc'])
    const got: string[][] = hevc.map(() => [])
    await decodeFedKeyframes(fedOptions(hevc[0]), hevc.map((c, i) => ({ path: c.path, index: indexes[i] })), (f, from) => got[from.clip].push(hash(f)))
    expect(got).toEqual(expected)
    // An H.264 clip among them starts a batch of its own; one stream cannot hold both.
    const short = (c: VideoInfo): VideoInfo => ({ ...c, durationSeconds: 60 })
    expect(planDecode([short(hevc[0]), short(hevc[1]), short(clips[0]), short(clips[1])], { kind: 'keyframes' }, 2).tasks.map((t) => t.batch)).toEqual([[0, 1], [2, 3]])
    const mixed = [{ path: hevc[0].path, index: indexes[0] }, { path: clips[0].path, index: await readMp4Keyframes(clips[0].path) }]
    await expect(decodeFedKeyframes(fedOptions(hevc[0]), mixed, () => {})).rejects.toThrow(/different codecs/)
  }, 120_000)

  it('stops its ffmpeg and its feeding on cancel', async () => {
    const indexes = await Promise.all(clips.map((c) => readMp4Keyframes(c.path)))
    const stop = new AbortController()
    let frames = 0
    const run = decodeFedKeyframes({ ...fedOptions(clips[0]), signal: stop.signal }, clips.map((c, i) => ({ path: c.path, index: indexes[i] })), () => {
      if (++frames === 3) stop.abort()
    })
    await expect(run).rejects.toThrow(/cancelled/)
    expect(frames).toBeLessThan(28)
    expect(runningProcessCount()).toBe(0)
  })

  it('leaves out a keyframe whose bytes are damaged, and the frames after it keep their times', async () => {
    const damaged = join(dir, 'damaged.mp4')
    await copyFile(clips[0].path, damaged)
    const index = await readMp4Keyframes(damaged)
    const fh = await open(damaged, 'r+')
    await fh.write(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4, index.keyframes[5].offset)
    await fh.close()
    const got: Array<[string, number]> = []
    await decodeFedKeyframes(fedOptions(clips[0]), [{ path: damaged, index }], (f, from) => got.push([hash(f), from.seconds]))
    expect(got).toEqual(alone[0].map((h, s) => [h, s] as [string, number]).filter(([, s]) => s !== 5))
  })
})

describe('an ffmpeg started before the job says what it decodes (warm)', () => {
  const loggedFfmpeg = (name: string): Promise<LoggedTool> => loggedTool(join(dir, name), ff.ffmpeg)
  const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

  it('decodes the same frames once given its filters, as the one ffmpeg of the decoder that takes it', async () => {
    const logged = await loggedFfmpeg('ffmpeg-warm')
    const warm = startWarmFedDecoder({ ffmpeg: logged.path, codec: 'h264', threads: 3, skipLoopFilter: false })
    // Loaded and waiting for its filters before anything is asked of it.
    await settle(400)
    const indexes = await Promise.all(clips.map((c) => readMp4Keyframes(c.path)))
    const got: string[][] = clips.map(() => [])
    const heard: number[] = []
    await decodeFedKeyframes({ ...fedOptions(clips[0]), ffmpeg: logged.path, warm, onSpawned: () => heard.push(got.flat().length) }, clips.map((c, i) => ({ path: c.path, index: indexes[i] })), (f, from) => got[from.clip].push(hash(f)))
    expect(got).toEqual(alone)
    expect(heard).toEqual([0])
    const runs = await logged.runs()
    expect(runs).toHaveLength(1)
    expect(runs[0]).toContain('-filter_script:v pipe:3')
    // Handed out once: the next decoder starts its own.
    expect(warm.take({ ffmpeg: logged.path, codec: 'h264', threads: 3, skipLoopFilter: false }, 'null')).toBeNull()
    expect(runningProcessCount()).toBe(0)
  })

  it('is stopped when the decoder wants another ffmpeg, codec, thread count or loop filter, which then starts its own', async () => {
    const logged = await loggedFfmpeg('ffmpeg-unfit')
    const index = await readMp4Keyframes(clips[1].path)
    const fit = { ffmpeg: logged.path, codec: 'h264', threads: 3, skipLoopFilter: false } as const
    for (const shape of [{ ...fit, ffmpeg: ff.ffmpeg }, { ...fit, codec: 'hevc' }, { ...fit, threads: 1 }, { ...fit, skipLoopFilter: true }] as const) {
      const warm = startWarmFedDecoder(shape)
      // Started (and logged) before it is found unfit.
      await settle(300)
      const got: string[] = []
      await decodeFedKeyframes({ ...fedOptions(clips[1]), ffmpeg: logged.path, warm }, [{ path: clips[1].path, index }], (f) => got.push(hash(f)))
      expect(got).toEqual(alone[1])
    }
    const runs = await logged.runs()
    // Three of the four warmed with the logged ffmpeg, and four decoders of their own.
    expect(runs.filter((r) => r.includes('pipe:3'))).toHaveLength(3)
    expect(runs.filter((r) => !r.includes('pipe:3'))).toHaveLength(4)
    await settle(200)
    expect(runningProcessCount()).toBe(0)
  })

  it('ends its ffmpeg when disposed unused, and when the run it was given to is cancelled', async () => {
    const unused = startWarmFedDecoder({ ffmpeg: ff.ffmpeg, codec: 'h264', threads: 3, skipLoopFilter: false })
    await settle(100)
    expect(runningProcessCount()).toBe(1)
    unused.dispose()
    await settle(300)
    expect(runningProcessCount()).toBe(0)
    expect(unused.take({ ffmpeg: ff.ffmpeg, codec: 'h264', threads: 3, skipLoopFilter: false }, 'null')).toBeNull()

    const warm = startWarmFedDecoder({ ffmpeg: ff.ffmpeg, codec: 'h264', threads: 3, skipLoopFilter: false })
    const index = await readMp4Keyframes(clips[0].path)
    const stop = new AbortController()
    let frames = 0
    const run = decodeFedKeyframes({ ...fedOptions(clips[0]), warm, signal: stop.signal }, [{ path: clips[0].path, index }], () => {
      if (++frames === 2) stop.abort()
    })
    await expect(run).rejects.toThrow(/cancelled/)
    expect(runningProcessCount()).toBe(0)
  })

  it('is taken by the empty scene\'s keyframes from the index, and stopped before any other route to them starts', async () => {
    /** A warmed decoder that records what is asked of it and hands nothing out (the decoder then
     *  starts its own ffmpeg). */
    const recording = (): { asked: string[]; warm: WarmFedDecoder } => {
      const asked: string[] = []
      const warm: WarmFedDecoder = {
        take: (shape) => {
          asked.push(`take ${shape.codec} ${shape.threads}`)
          return null
        },
        dispose: () => {
          asked.push('dispose')
        }
      }
      return { asked, warm }
    }
    const minute = join(dir, 'minute-routes.mp4')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=60',
      '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', minute])
    const routes: Array<[VideoInfo, string, string[]]> = [
      // 1500 frames, 30 keyframes: picked from the index, through the warmed decoder's take.
      [await probeVideo(ff.ffprobe, minute), 'keyframes', ['take h264 3', 'dispose']],
      // A tiny day (120 frames) is read in one pass: stopped first, never offered.
      [clips[0], 'one pass', ['dispose']]
    ]
    for (const [clip, how, asked] of routes) {
      const r = recording()
      const found = await backgroundFrames({ ffmpeg: ff.ffmpeg, clips: [clip], grid, warm: r.warm }, spreadSampleTimes([clip.durationSeconds!], 31))
      expect(found.how).toBe(how)
      expect(r.asked).toEqual(asked)
    }
  })

  it('serves the automatic empty scene\'s keyframes in an analysis, with the same results; one with a chosen reference stops it', async () => {
    // A minute, 30 keyframes: the empty scene is picked from them, not read in one pass.
    const path = join(dir, 'minute.mp4')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=60',
      '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', path])
    const logged = await loggedFfmpeg('ffmpeg-analysis')
    const analyse = async (name: string, settings: AnalysisSettings, warmed: boolean) => {
      const before = (await logged.runs()).length
      // As the worker starts it for an occupancy run (worker.ts).
      const warm = warmed ? startWarmFedDecoder({ ffmpeg: logged.path, codec: 'h264', threads: 3, skipLoopFilter: true }) : null
      const summary = await runAnalysis({ inputs: [path], outDir: join(dir, name), settings, ffmpegPath: logged.path, ffprobePath: ff.ffprobe, kernel: 'auto' },
        { progress: () => {}, warning: () => {} }, new AbortController().signal, warm)
      return { summary, heatmap: await readFile(join(dir, name, 'heatmap.npy')), runs: (await logged.runs()).slice(before) }
    }
    // Keyframes (auto takes a frame step on so short a clip), the automatic empty scene.
    const occupancy: AnalysisSettings = { ...defaultSettings('occupancy'), sample: { kind: 'keyframes' }, width: 160 }
    const cold = await analyse('cold', occupancy, false)
    const warmed = await analyse('warmed', occupancy, true)
    expect(warmed.heatmap.equals(cold.heatmap)).toBe(true)
    expect(warmed.summary.frames).toEqual(cold.summary.frames)
    expect(cold.runs.filter((r) => r.includes('pipe:0'))).toHaveLength(1)
    // The one decoder of the analysis is the warmed one.
    expect(warmed.runs.filter((r) => r.includes('pipe:0'))).toHaveLength(1)
    expect(warmed.runs.filter((r) => r.includes('pipe:0'))[0]).toContain('-filter_script:v pipe:3')
    // A frame step: the empty scene's keyframes still come from the index, through the warmed
    // ffmpeg; the frames from an ffmpeg reading the clip.
    const stepped = await analyse('stepped', { ...occupancy, sample: { kind: 'every', n: 5 } }, true)
    expect(stepped.runs[0]).toContain('-filter_script:v pipe:3')
    expect(stepped.runs.slice(1).every((r) => r.includes(path) && !r.includes('pipe:3'))).toBe(true)
    expect(stepped.summary.frames.sampled).toBe(300)
    // A chosen reference frame: the warmed ffmpeg is stopped unused, the results as without it.
    const chosen = { ...occupancy, reference: { kind: 'frame' as const, index: 0 } }
    const chosenCold = await analyse('chosen-cold', chosen, false)
    const chosenWarmed = await analyse('chosen-warmed', chosen, true)
    expect(chosenWarmed.heatmap.equals(chosenCold.heatmap)).toBe(true)
    expect(chosenWarmed.runs.filter((r) => !r.includes('pipe:3'))).toEqual(chosenCold.runs)
    // Occupancy decodes keyframes without the deblocking filter; seed, the article's pipeline, with it.
    expect(cold.runs.every((r) => r.includes('-skip_loop_filter all'))).toBe(true)
    const seed = await analyse('seed', { ...defaultSettings('seed'), sample: { kind: 'keyframes' }, width: 160 }, false)
    expect(seed.runs.length).toBeGreaterThan(0)
    expect(seed.runs.some((r) => r.includes('-skip_loop_filter'))).toBe(false)
    expect(runningProcessCount()).toBe(0)
  }, 120_000)
})

describe('the empty scene\'s keyframes, picked from the indexes', () => {
  it('are the keyframes at or before each moment, each once, as ffmpeg decodes them', async () => {
    // 24 moments over the three clips (28 s), half a second after a keyframe or on one.
    const times = Array.from({ length: 24 }, (_, k) => {
      const t = k * 1.15
      return t < 12 ? { clip: 0, seconds: t } : t < 19 ? { clip: 1, seconds: t - 12 } : { clip: 2, seconds: t - 19 }
    })
    const ctx = { ffmpeg: ff.ffmpeg, clips, grid }
    const fromIndex = (await framesFromIndex(ctx, times))!.map(hash)
    // Keyframe k of a clip is at k seconds.
    const picked = [...new Set(times.map((t) => `${t.clip}:${Math.floor(t.seconds)}`))].map((key) => key.split(':').map(Number))
    expect(fromIndex).toEqual(picked.map(([clip, k]) => aloneGray[clip][k]))
    expect(fromIndex.length).toBeGreaterThanOrEqual(19)
    // A clip that is not an H.264 MP4 leaves the moments to the concat route.
    expect(await framesFromIndex({ ...ctx, clips: [clips[0], clips[1], { ...clips[2], keyframeIndex: undefined }] }, times)).toBeNull()
    // Too few different keyframes: nothing decoded.
    expect(await framesFromIndex(ctx, times.map(() => ({ clip: 0, seconds: 3.5 })))).toBeNull()
  })

  it('picks by time, the first keyframe for a time before it', () => {
    const kf = [0, 2, 4].map((seconds) => ({ offset: 0, size: 1, seconds }))
    expect([-1, 0, 1.99, 2, 5].map((t) => keyframeAtOrBefore(kf, t).seconds)).toEqual([0, 0, 0, 2, 4])
  })

  it('are not read from the index of a long clip (its per-frame list would cost memory)', async () => {
    const long = join(dir, 'long.mp4')
    const frames = MAX_INDEXED_FRAMES + 500
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=size=32x32:rate=100:duration=${frames / 100}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '1000', long])
    await expect(readMp4Keyframes(long)).rejects.toThrow(/too long/)
  }, 60_000)
})

describe('a day of short clips', () => {
  const keyframes = { kind: 'keyframes' } as const

  it('is planned as batches of consecutive short H.264 MP4 clips, at most half an hour of footage each', () => {
    const short = (minutes: number, more: Partial<VideoInfo> = {}): VideoInfo => ({ ...clips[0], durationSeconds: minutes * 60, ...more })
    expect(FED_CLIP_SECONDS).toBe(300)
    const day = [short(5), short(5), short(10), short(1), short(1, { codec: 'hevc' }), short(1), short(1, { keyframeIndex: undefined }), short(1), short(1)]
    const { tasks, concurrency } = planDecode(day, keyframes, 2)
    expect(concurrency).toBe(2)
    // A 10-minute clip, a lone short one, HEVC and a clip without an index (two segments) break the runs.
    expect(tasks.map((t) => t.batch ?? t.clipIndex)).toEqual([[0, 1], 2, 3, 4, 5, 6, 6, [7, 8]])
    expect(tasks.filter((t) => t.batch).every((t) => t.threads === 3 && t.clipIndex === t.batch![0])).toBe(true)
    // Twelve five-minute clips: two batches of half an hour.
    expect(planDecode(Array.from({ length: 12 }, () => short(5)), keyframes, 2).tasks.map((t) => t.batch)).toEqual([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
    // Clips storing their luma differently are not fed to one decoder (its filters serve all).
    expect(planDecode([short(1), short(1, { lumaPlane: 'full' })], keyframes, 2).tasks.map((t) => t.batch ?? t.clipIndex)).toEqual([0, 1])
  })

  it('decodes a clip whose index cannot be read on its own, and reports a clip that breaks without losing the rest', async () => {
    const rotated = join(dir, 'turned.mp4')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', clips[1].path, '-c', 'copy', '-metadata:s:v', 'rotate=180', rotated])
    const gone = join(dir, 'gone.mp4')
    await copyFile(clips[2].path, gone)
    const batch = [clips[0].path, rotated, gone, clips[2].path].map((path, index) => ({ index, path }))
    await rm(gone)
    const got = new Map<number, number>()
    const problems: Array<[number, string]> = []
    const alone2: number[] = []
    await decodeBatch({
      clips: batch,
      fed: fedOptions(clips[0]),
      decodeAlone: async (i) => {
        alone2.push(i)
        await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: batch[i].path, ...grid, sampling: { kind: 'keyframes' } }, () => got.set(i, (got.get(i) ?? 0) + 1))
      },
      onFrame: (_f, clip) => got.set(clip, (got.get(clip) ?? 0) + 1),
      onProblem: (clip, err) => problems.push([clip, err.message])
    })
    expect(alone2).toEqual([1, 2])
    expect(Object.fromEntries(got)).toEqual({ 0: 12, 1: 7, 3: 9 })
    expect(problems).toHaveLength(1)
    expect(problems[0][0]).toBe(2)
    expect(problems[0][1]).toMatch(/gone\.mp4/)
  })

  it('names the clip the shared decoder failed on, and decodes the clips after it with a new one', async () => {
    // An ffmpeg that is cut off (and fails) once fed the first clip and half the second.
    const [first, second] = await Promise.all([clips[0], clips[1]].map(async (c) => (await readMp4Keyframes(c.path)).keyframes.reduce((a, k) => a + k.size, 0)))
    const limit = first + second / 2
    const failing = join(dir, 'ffmpeg-failing')
    await writeFile(failing, `#!/bin/sh\nhead -c ${Math.round(limit)} | '${ff.ffmpeg}' "$@"\necho "broken stream" >&2\nexit 1\n`)
    await chmod(failing, 0o755)
    const got = new Map<number, number>()
    const problems: InputError[] = []
    await decodeBatch({
      clips: [clips[0], clips[1], clips[2]].map((c, index) => ({ index, path: c.path })),
      fed: { ...fedOptions(clips[0]), ffmpeg: failing },
      decodeAlone: () => Promise.reject(new Error('not expected')),
      onFrame: (_f, clip) => got.set(clip, (got.get(clip) ?? 0) + 1),
      onProblem: (_clip, err) => problems.push(err)
    })
    // The second clip is where it broke; the third gets a decoder of its own (that fails too,
    // after its frames: it is fed less than the limit).
    expect(problems[0].file).toBe(clips[1].path)
    expect(problems[0].problem).toMatch(/broken stream/)
    expect(got.get(0)).toBe(12)
    expect(got.get(2)).toBe(9)
  })

  it('gives the same heatmap, hours and frames per clip as each clip read by ffmpeg itself, with one decoder', async () => {
    const ffmpeg = await loggedTool(join(dir, 'ffmpeg-logged'), ff.ffmpeg)
    // The same clips in Matroska, which ffmpeg reads clip by clip.
    const mkv = await Promise.all(clips.map(async (c, i) => {
      const path = join(dir, `day${i}.mkv`)
      await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', c.path, '-c', 'copy', path])
      return path
    }))
    const analyse = async (inputs: string[], out: string) => {
      await ffmpeg.clear()
      const settings = { ...defaultSettings('occupancy'), sample: { kind: 'keyframes' as const }, reference: { kind: 'frame' as const, index: 0 } }
      const summary = await runAnalysis({ inputs, outDir: join(dir, out), settings, ffmpegPath: ffmpeg.path, ffprobePath: ff.ffprobe, kernel: 'auto', start: '2026-11-25T10:00:00' },
        { progress: () => {}, warning: () => {} }, new AbortController().signal)
      const runs = await ffmpeg.runs()
      return { summary, heatmap: await readFile(join(dir, out, 'heatmap.npy')), hours: await readFile(join(dir, out, 'hours.npy')), decoders: runs.filter((r) => r.includes('-skip_frame') || r.includes('pipe:0')).length }
    }
    const fed = await analyse(clips.map((c) => c.path), 'fed')
    const apart = await analyse(mkv, 'apart')
    expect(fed.decoders).toBe(1)
    expect(apart.decoders).toBeGreaterThanOrEqual(3)
    expect(fed.summary.inputs.map((i) => i.framesSampled)).toEqual([12, 7, 9])
    expect(apart.summary.inputs.map((i) => i.framesSampled)).toEqual([12, 7, 9])
    expect(fed.heatmap.equals(apart.heatmap)).toBe(true)
    expect(fed.hours.equals(apart.hours)).toBe(true)
  }, 120_000)

  it('resumes a stopped day after the last batch it finished, counting every frame once', async () => {
    // Seven five-minute clips (1 fps, a keyframe every 2 s): two batches, of six clips and one.
    const day = join(dir, 'five-minutes')
    await run('mkdir', ['-p', day])
    const one = join(day, 'one.mp4')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=64x36:rate=1:duration=300', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '2', one])
    const inputs = await Promise.all(Array.from({ length: 7 }, async (_, i) => {
      const path = join(day, `cam_20261125${String(8 + Math.floor(i / 12)).padStart(2, '0')}${String((i * 5) % 60).padStart(2, '0')}00.mp4`)
      await run(ff.ffmpeg, distinctCopyArgs(one, path, String(i)))
      return path
    }))
    expect(planDecode(await Promise.all(inputs.map((p) => probeVideo(ff.ffprobe, p))), keyframes, 2).tasks.map((t) => t.batch)).toEqual([[0, 1, 2, 3, 4, 5], [6]])
    const settings = { ...defaultSettings('occupancy'), sample: keyframes, reference: { kind: 'frame' as const, index: 0 } }
    const analyse = (out: string, ffmpegPath: string, signal = new AbortController().signal) =>
      runAnalysis({ inputs, outDir: join(dir, out), settings, ffmpegPath, ffprobePath: ff.ffprobe, kernel: 'auto' }, { progress: () => {}, warning: () => {} }, signal)
    const fresh = await analyse('fresh-day', ff.ffmpeg)
    expect(fresh.frames.sampled).toBe(7 * 150)

    // An ffmpeg that hangs from its third start on (the reference, the first batch, then the
    // second batch): the run is stopped there, the first batch's sums saved.
    const log = join(dir, 'starts.log')
    const hanging = join(dir, 'ffmpeg-hanging')
    await writeFile(log, '')
    await writeFile(hanging, `#!/bin/sh\nn=$(wc -l < '${log}')\necho run >> '${log}'\nif [ "$n" -ge 2 ]; then exec sleep 60; fi\nexec '${ff.ffmpeg}' "$@"\n`)
    await chmod(hanging, 0o755)
    const stop = new AbortController()
    const stopped = analyse('stopped-day', hanging, stop.signal).catch((e: unknown) => e)
    while ((await readFile(log, 'utf8')).split('\n').filter(Boolean).length < 3) await new Promise((r) => setTimeout(r, 50))
    stop.abort()
    expect(await stopped).toBeInstanceOf(Error)
    const resumed = await analyse('stopped-day', ff.ffmpeg)
    expect(resumed.resumedTasks).toBe(1)
    expect(resumed.frames).toEqual(fresh.frames)
    expect(resumed.inputs.map((i) => i.framesSampled)).toEqual(fresh.inputs.map((i) => i.framesSampled))
    expect((await readFile(join(dir, 'stopped-day', 'heatmap.npy'))).equals(await readFile(join(dir, 'fresh-day', 'heatmap.npy')))).toBe(true)
    expect((await readFile(join(dir, 'stopped-day', 'hours.npy'))).equals(await readFile(join(dir, 'fresh-day', 'hours.npy')))).toBe(true)
  }, 120_000)
})
