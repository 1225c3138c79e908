// Which ffmpeg and ffprobe run. An installed app carries ffmpeg-static, which has no ffprobe
// beside it, on a PC that usually has no ffmpeg of its own: the bundled ffprobe must then be
// found, and it must read clips as the system's ffprobe does. (@ffprobe-installer's Linux build,
// tried first, crashed on every MPEG-TS file.)
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateClip, testClip } from '../../src/main/footage'
import { bundledFfprobe, locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { keyframeGapSeconds } from '../../src/main/media/keyframes'
import { probeVideo } from '../../src/main/media/probe'
import { runTool } from '../../src/main/media/processes'

const system = locateFfmpeg()
let tmp: string
let clip: string
/** The same clip remuxed into MPEG-TS, a common NVR export. */
let tsClip: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-locator-'))
  clip = (await generateClip(testClip({ name: 'probe-me', seconds: 4, seed: 9 }), tmp, system.ffmpeg)).videoPath
  tsClip = join(tmp, 'probe-me.ts')
  await runTool(system.ffmpeg, ['-v', 'error', '-i', clip, '-c', 'copy', tsClip])
})

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** Runs `fn` with PATH holding only `dir`. */
function withPath<T>(dir: string, fn: () => T): T {
  const saved = process.env.PATH
  process.env.PATH = dir
  try {
    return fn()
  } finally {
    process.env.PATH = saved
  }
}

describe('finding ffprobe', () => {
  it('takes the bundled ffprobe for an ffmpeg that has none beside it, with none on PATH', async () => {
    const bundled = bundledFfprobe()
    expect(bundled).not.toBeNull()
    const lonely = join(tmp, 'lonely')
    await mkdir(lonely)
    await symlink(system.ffmpeg, join(lonely, 'ffmpeg'))
    const found = withPath(lonely, () => locateFfmpeg(join(lonely, 'ffmpeg')))
    expect(found).toEqual({ ffmpeg: join(lonely, 'ffmpeg'), ffprobe: bundled, source: 'setting' })
  })

  it('keeps the ffprobe beside the chosen ffmpeg first, so the two match', async () => {
    const pair = join(tmp, 'pair')
    await mkdir(pair)
    await symlink(system.ffmpeg, join(pair, 'ffmpeg'))
    await symlink(system.ffprobe, join(pair, 'ffprobe'))
    expect(withPath(pair, () => locateFfmpeg(join(pair, 'ffmpeg'))).ffprobe).toBe(join(pair, 'ffprobe'))
  })

  it('refuses a setting that names something other than a program, before anything runs', async () => {
    const notes = join(tmp, 'notes.txt')
    await writeFile(notes, 'not a program')
    expect(() => locateFfmpeg(notes)).toThrow(`${notes} cannot be run as ffmpeg (from the ffmpeg setting): it is not an executable file`)
    expect(() => locateFfmpeg(tmp)).toThrow('it is not an executable file')
    expect(() => locateFfmpeg(join(tmp, 'nowhere'))).toThrow('ffmpeg not found at')
  })

  it.each([['MP4', () => clip], ['MPEG-TS', () => tsClip]])('the bundled ffprobe reads %s exactly as the system ffprobe does', async (_, path) => {
    const bundled = bundledFfprobe()!
    const [mine, theirs] = await Promise.all([probeVideo(bundled, path()), probeVideo(system.ffprobe, path())])
    expect(mine).toEqual(theirs)
    expect(mine.width).toBeGreaterThan(0)
    expect(await keyframeGapSeconds(bundled, path())).toBe(await keyframeGapSeconds(system.ffprobe, path()))
  })
})
