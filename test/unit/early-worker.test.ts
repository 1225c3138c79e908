// The CLI forks the analysis worker before it reads its options: the width it guesses from the
// raw arguments decides the worker's environment, and a worker whose environment does not suit
// the checked options is not used.
import { describe, expect, it } from 'vitest'
import { likelyStart, likelyWidth } from '../../src/main/cli/early-worker'
import { WARM_FFMPEG_ENV, warmFfmpegFor, workerStartEnv, workerStartFor } from '../../src/main/runtime/fork-worker'
import { defaultSettings } from '../../src/shared/settings'
import { largeGridEnv } from '../../src/main/runtime/reuse-memory-env'

describe('the early worker\'s width, read from the raw arguments', () => {
  it('reads the width as commander does, the last one given', () => {
    expect(likelyWidth(['analyze', 'a.mp4', '--out', 'x'])).toBe(640)
    expect(likelyWidth(['analyze', 'a.mp4', '-w', '1920'])).toBe(1920)
    expect(likelyWidth(['analyze', 'a.mp4', '-w1920'])).toBe(1920)
    expect(likelyWidth(['analyze', 'a.mp4', '--width=native'])).toBe('native')
    expect(likelyWidth(['analyze', '--width', '320', 'a.mp4', '--width', '1600'])).toBe(1600)
  })

  it('takes the method\'s default: native for seed', () => {
    expect(likelyWidth(['analyze', 'a.mp4', '--method', 'seed'])).toBe('native')
    expect(likelyWidth(['analyze', 'a.mp4', '-mseed'])).toBe('native')
    expect(likelyWidth(['analyze', 'a.mp4', '--method=seed', '-w', '640'])).toBe(640)
    expect(likelyWidth(['analyze', 'a.mp4', '-m', 'occupancy'])).toBe(640)
  })

  it('stops at `--`, after which every word is a file', () => {
    expect(likelyWidth(['analyze', '--out', 'x', '--', '-w', '1920'])).toBe(640)
  })

  it('gives large grids (native, wider than 1280) the memory-reuse environment, others not', () => {
    expect(largeGridEnv('native')).toBe(true)
    expect(largeGridEnv(1920)).toBe(true)
    expect(largeGridEnv(1280)).toBe(false)
    expect(largeGridEnv(640)).toBe(false)
  })
})

describe('the ffmpeg a worker starts before its job comes', () => {
  const located: Array<string | undefined> = []
  const locate = (setting: string | undefined): string => {
    located.push(setting)
    return setting ?? '/usr/bin/ffmpeg'
  }
  const warmOf = (...args: string[]): string | null => likelyStart(['analyze', 'a.mp4', '-o', 'x', ...args], locate).warmFfmpeg

  it('is warmed for the default analysis and for keyframes, with the ffmpeg the CLI will use', () => {
    expect(warmOf()).toBe(process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg')
    expect(warmOf('--sample', 'keyframes', '-r', 'auto', '-w', '800')).toBe(process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg')
    expect(warmOf('--ffmpeg', '/opt/ff/ffmpeg')).toBe('/opt/ff/ffmpeg')
    expect(warmOf('--ffmpeg=/opt/ff/ffmpeg')).toBe('/opt/ff/ffmpeg')
    expect(located.at(-1)).toBe('/opt/ff/ffmpeg')
  })

  it('is not warmed where the first decoder reads the clip itself, nor when ffmpeg cannot be found', () => {
    expect(warmOf('--method', 'seed')).toBeNull()
    expect(warmOf('-s', 'every:5')).toBeNull()
    expect(warmOf('--sample=fps:2')).toBeNull()
    expect(warmOf('--reference', 'frame:0')).toBeNull()
    expect(warmOf('-r', 'empty.png')).toBeNull()
    expect(warmOf('--width', 'native')).toBeNull()
    expect(likelyStart(['analyze', 'a.mp4'], () => {
      throw new Error('not found')
    })).toEqual({ width: 640, warmFfmpeg: null })
  })

  it('follows a job\'s settings the same way, and is named in the worker\'s environment', () => {
    const job = (settings: ReturnType<typeof defaultSettings>) => ({ settings, ffmpegPath: '/usr/bin/ffmpeg' })
    expect(workerStartFor(job(defaultSettings('occupancy')))).toEqual({ width: 640, warmFfmpeg: '/usr/bin/ffmpeg' })
    expect(workerStartFor(job(defaultSettings('seed')))).toEqual({ width: 'native', warmFfmpeg: null })
    expect(warmFfmpegFor({ ...defaultSettings('occupancy'), sample: { kind: 'every' } }, '/usr/bin/ffmpeg')).toBeNull()
    // Its ffmpeg skips the loop filter as occupancy's decoders do: not for seed at a reduced width.
    expect(warmFfmpegFor({ ...defaultSettings('seed'), sample: { kind: 'keyframes' }, reference: { kind: 'auto' }, width: 640 }, '/usr/bin/ffmpeg')).toBeNull()
    expect(workerStartEnv({ width: 640, warmFfmpeg: '/usr/bin/ffmpeg' })[WARM_FFMPEG_ENV]).toBe('/usr/bin/ffmpeg')
    expect(workerStartEnv({ width: 640, warmFfmpeg: null })[WARM_FFMPEG_ENV]).toBeUndefined()
  })
})
