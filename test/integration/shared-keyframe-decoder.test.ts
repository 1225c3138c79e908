// One ffmpeg for the empty scene's picked keyframes and then the first task's: the picked frames
// are those an ffmpeg of their own gives, and the task gets every keyframe of the clip exactly
// once (its picked ones included), however long the empty scene takes to build.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { decodePickedAlone, sharedKeyframeDecoder } from '../../src/main/analysis/shared-keyframe-decoder'
import type { FedClip, FedDecodeOptions } from '../../src/main/media/fed-keyframes'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { decodeGrayFrames } from '../../src/main/media/gray-frames'
import { expandedLimitedLuma } from '../../src/main/media/luma-range'
import { readMp4Keyframes, type Mp4Keyframes } from '../../src/main/media/mp4-keyframes'
import { runningProcessCount } from '../../src/main/media/processes'
import { probeVideo, type VideoInfo } from '../../src/main/media/probe'
import { testClipArgs } from '../helpers/test-clips'

const run = promisify(execFile)
const ff = locateFfmpeg()
const grid = { width: 160, height: 90 }
const task = { clipIndex: 0, offsetSeconds: 0, threads: 2 }
let clip: VideoInfo
let index: Mp4Keyframes
/** Every keyframe of the clip as the usual decode gives it: `hash@seconds`. */
let everyKeyframe: string[]

const hash = (f: Uint8Array): string => createHash('sha1').update(f).digest('hex')
const options = (signal?: AbortSignal): FedDecodeOptions => ({ ffmpeg: ff.ffmpeg, ...grid, source: clip, threads: 2, signal })
/** Every other keyframe: 30 of the clip's 60, as an empty scene would pick them. */
const picked = (): FedClip[] => [{ path: clip.path, index: { ...index, keyframes: index.keyframes.filter((_, k) => k % 2 === 0) } }]
const enough = (frames: Uint8Array[]): boolean => frames.length >= 19

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dwellmap-shared-'))
  const path = join(dir, 'minute.mp4')
  // A minute at 10 fps, a keyframe every second: 60 keyframes, more than the queue holds.
  await run(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds: 60, gop: 10, fixedGop: true }, path))
  clip = await probeVideo(ff.ffprobe, path)
  index = await readMp4Keyframes(path)
  everyKeyframe = []
  let k = 0
  await decodeGrayFrames({ ffmpeg: ff.ffmpeg, input: path, ...grid, source: clip, sampling: { kind: 'keyframes' } }, (f) => everyKeyframe.push(`${hash(f)}@${k++}`))
}, 120_000)

describe('one ffmpeg for the empty scene and the first task', () => {
  it('gives the picked frames an ffmpeg of their own gives, then every keyframe of the task once, in one ffmpeg', async () => {
    const alone = await decodePickedAlone(picked(), options(), enough)
    const shared = sharedKeyframeDecoder(task, clip.path, options(), async () => index)
    let most = 0
    const watch = setInterval(() => (most = Math.max(most, runningProcessCount())), 2)
    try {
      let spawned = 0
      const frames = await shared.decodePicked(picked(), { ...options(), onSpawned: () => spawned++ }, enough)
      expect(frames?.map(hash)).toEqual(alone?.map(hash))
      // The empty scene's caller hears when its (shared) ffmpeg runs.
      expect(spawned).toBe(1)
      // The empty scene takes its time: the decoder goes on meanwhile, up to its queue, and waits.
      await new Promise((resolve) => setTimeout(resolve, 1500))
      expect(runningProcessCount()).toBe(1)
      const got: string[] = []
      expect(await shared.accumulate((f, clipIndex, seconds) => got.push(`${hash(f)}@${Math.round(seconds)}`, `clip ${clipIndex}`))).toBe(true)
      expect(got.filter((g) => g.startsWith('clip ')).every((g) => g === 'clip 0')).toBe(true)
      expect(got.filter((g) => !g.startsWith('clip ')).sort()).toEqual([...everyKeyframe].sort())
    } finally {
      clearInterval(watch)
      shared.dispose()
    }
    expect(most).toBe(1)
    expect(runningProcessCount()).toBe(0)
  })

  it('with stored luma for the task: grey picked frames, and the task\'s own among them said to be grey', async () => {
    const stored = { ...options(), acceptStoredLuma: true }
    const alone = await decodePickedAlone(picked(), options(), enough)
    const shared = sharedKeyframeDecoder(task, clip.path, stored, async () => index)
    try {
      const frames = await shared.decodePicked(picked(), options(), enough)
      expect(frames?.map(hash)).toEqual(alone?.map(hash))
      const got: string[] = []
      const kinds = new Map<string, number>()
      await shared.accumulate((f, _clip, seconds, kind) => {
        kinds.set(kind ?? 'as delivered', (kinds.get(kind ?? 'as delivered') ?? 0) + 1)
        got.push(`${hash(kind === 'gray' ? f : expandedLimitedLuma(f))}@${Math.round(seconds)}`)
      })
      expect(Object.fromEntries(kinds)).toEqual({ gray: 30, 'as delivered': 30 })
      expect(got.sort()).toEqual([...everyKeyframe].sort())
    } finally {
      shared.dispose()
    }
  })

  it('hands the task over at once when the empty scene is ready before its frames come', async () => {
    const shared = sharedKeyframeDecoder(task, clip.path, options(), async () => index)
    await shared.decodePicked(picked(), options(), enough)
    const got: string[] = []
    // An async consumer, as the native kernel is: one frame at a time.
    await shared.accumulate(async (f, _clip, seconds) => {
      got.push(`${hash(f)}@${Math.round(seconds)}`)
      await new Promise((resolve) => setImmediate(resolve))
    })
    expect(got.sort()).toEqual([...everyKeyframe].sort())
  })

  it('stops, and leaves the task to decode as usual, when the picked frames are too few', async () => {
    const shared = sharedKeyframeDecoder(task, clip.path, options(), async () => index)
    expect(await shared.decodePicked(picked(), options(), () => false)).toBeNull()
    expect(await shared.accumulate(() => {})).toBe(false)
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(0)
  })

  it('decodes the picked frames alone when the clip\'s index cannot be read', async () => {
    const shared = sharedKeyframeDecoder(task, clip.path, options(), () => Promise.reject(new Error('no index')))
    const frames = await shared.decodePicked(picked(), options(), enough)
    expect(frames).toHaveLength(30)
    expect(await shared.accumulate(() => {})).toBe(false)
  })

  it('stops its ffmpeg when the analysis fails before the task takes it, or is cancelled', async () => {
    const unused = sharedKeyframeDecoder(task, clip.path, options(), async () => index)
    await unused.decodePicked(picked(), options(), enough)
    // Its queue full, it waits on a full socket: stopped, it must be read on to see the stop.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(runningProcessCount()).toBe(1)
    unused.dispose()
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(0)

    const cancel = new AbortController()
    const cancelled = sharedKeyframeDecoder(task, clip.path, options(cancel.signal), async () => index)
    const frames = cancelled.decodePicked(picked(), options(cancel.signal), enough)
    cancel.abort()
    await expect(frames).rejects.toThrow()
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(0)
    // Cancelled with its queue full.
    const later = new AbortController()
    const full = sharedKeyframeDecoder(task, clip.path, options(later.signal), async () => index)
    await full.decodePicked(picked(), options(later.signal), enough)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    later.abort()
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(0)
  })
})
