// What makes a day out of the files given: --start moves the day without losing its gaps; copies,
// links and overlapping clips are not counted twice silently; still images are not clips.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultSettings } from '../../src/shared/settings'
import { probeDay, wallClock } from '../../src/main/analysis/day'
import { runAnalysis } from '../../src/main/analysis/run-analysis'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { probeVideo } from '../../src/main/media/probe'

const run = promisify(execFile)
const ff = locateFfmpeg()
const signal = new AbortController().signal
let dir: string

/** A 4-second clip at 10 fps; `seed` changes its picture (and so its bytes). */
async function clip(name: string, seed: number, extra: string[] = []): Promise<string> {
  const path = join(dir, name)
  await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=160x90:rate=10:duration=4,hue=h=${seed * 40}`, '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '10', ...extra, path])
  return path
}

const placed = async (inputs: string[], options: { dayStart?: string; start?: string } = {}) => {
  const day = await probeDay(ff.ffprobe, inputs, options.start, signal, undefined, options.dayStart ? { dayStart: options.dayStart } : {})
  return day.clips.map((c) => [c.path, wallClock(c.start.epochMs), c.start.source])
}

const paths = { at8: '', at1030: '', at17: '', plain: '' }

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-day-inputs-'))
  ;[paths.at8, paths.at1030, paths.at17, paths.plain] = await Promise.all([
    clip('cam_20240311080000.mp4', 1), clip('cam_20240311103000.mp4', 2), clip('cam_20240311170000.mp4', 3), clip('plain.mp4', 4)
  ])
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('--start (dayStart)', () => {
  it('moves the whole day by one offset: the first clip in time starts then, the gaps stay', async () => {
    const expected = [
      [paths.at8, '2024-03-11T07:00:00', 'given'],
      [paths.at1030, '2024-03-11T09:30:00', 'given'],
      [paths.at17, '2024-03-11T16:00:00', 'given']
    ]
    // Typed out of order, or in name order: the same day.
    expect(await placed([paths.at17, paths.at8, paths.at1030], { dayStart: '2024-03-11T07:00:00' })).toEqual(expected)
    expect(await placed([paths.at8, paths.at1030, paths.at17], { dayStart: '2024-03-11T07:00:00' })).toEqual(expected)
  })

  it('places a clip without a clock of its own end to end after the one before it', async () => {
    expect(await placed([paths.at8, paths.plain, paths.at1030], { dayStart: '2024-03-11T07:00:00' })).toEqual([
      [paths.at8, '2024-03-11T07:00:00', 'given'],
      [paths.plain, '2024-03-11T07:00:04', 'given'],
      [paths.at1030, '2024-03-11T09:30:00', 'given']
    ])
    // No clip with a clock: back to back from --start, in the order given.
    expect(await placed([paths.plain], { dayStart: '2024-03-11T07:00:00' })).toEqual([[paths.plain, '2024-03-11T07:00:00', 'given']])
  })

  it("leaves the app's start as it was: the order given, back to back", async () => {
    expect(await placed([paths.at17, paths.at8], { start: '2024-03-11T07:00:00' })).toEqual([
      [paths.at17, '2024-03-11T07:00:00', 'given'],
      [paths.at8, '2024-03-11T07:00:04', 'given']
    ])
  })
})

describe('the same footage twice', () => {
  it('refuses a copy (same size and content) and a link to a clip given already, naming it', async () => {
    const copy = join(dir, 'copy-of-eight.mp4')
    const link = join(dir, 'link-to-eight.mp4')
    await copyFile(paths.at8, copy)
    await symlink(paths.at8, link)
    const day = await probeDay(ff.ffprobe, [paths.at8, copy, link, paths.at1030], undefined, signal)
    expect(day.clips.map((c) => c.path)).toEqual([paths.at8, paths.at1030])
    expect(day.rejected).toEqual([
      { path: copy, problem: `is a copy of ${paths.at8} (same size and content); analysed once` },
      { path: link, problem: `is the same file as ${paths.at8} (a link); analysed once` }
    ])
  })

  it('keeps clips that only share a size', async () => {
    // Same length and encoder settings, other pictures: the bytes differ even where sizes match.
    const day = await probeDay(ff.ffprobe, [paths.at8, paths.at1030, paths.at17], undefined, signal)
    expect(day.rejected).toEqual([])
  })

  it('says so on the later of two clips whose times overlap, and still analyses both', async () => {
    const later = await clip('cam_20240311080002.mp4', 5)
    const day = await probeDay(ff.ffprobe, [later, paths.at8, paths.at1030], undefined, signal)
    expect(day.clips.map((c) => [c.path, c.notice])).toEqual([
      [paths.at8, undefined],
      [later, expect.stringMatching(new RegExp(`overlaps ${paths.at8} by 2 s, which are counted twice`))],
      [paths.at1030, undefined]
    ])
    // One after the other (08:00:00 + 4 s, then 08:00:04): no overlap.
    const next = await clip('cam_20240311080004.mp4', 6)
    expect((await probeDay(ff.ffprobe, [paths.at8, next], undefined, signal)).clips.map((c) => c.notice)).toEqual([undefined, undefined])
  })

  it('reaches summary.json and the warnings: the clip is analysed, with its problem', async () => {
    const later = join(dir, 'cam_20240311080002.mp4')
    const warnings: string[] = []
    const settings = { ...defaultSettings('occupancy'), sample: { kind: 'keyframes' as const }, reference: { kind: 'frame' as const, index: 0 } }
    const summary = await runAnalysis({ inputs: [paths.at8, later], outDir: join(dir, 'out-overlap'), settings, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'typescript' },
      { progress: () => {}, warning: (p) => warnings.push(`${p.file}: ${p.message}`) }, signal)
    expect(summary.inputs.map((i) => [i.path, i.status, i.problem])).toEqual([
      [paths.at8, 'analysed', undefined],
      [later, 'analysed', expect.stringMatching(/overlaps .* by 2 s/)]
    ])
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^${later}: its time .* overlaps`))])
  })

  it('trusts the names when the containers give several clips one creation time', async () => {
    // An export that stamps every file with the moment of export.
    const stamp = ['-metadata', 'creation_time=2024-03-12T09:00:00Z']
    await mkdir(join(dir, 'meta'))
    const [a, b] = await Promise.all([clip('meta/cam_20240311080000.mp4', 7, stamp), clip('meta/cam_20240311103000.mp4', 8, stamp)])
    const times = (await placed([b, a])).map(([path, , source]) => [path, source])
    expect(times).toEqual([[a, 'file name'], [b, 'file name']])
    expect((await placed([b, a]))[0][1]).toBe('2024-03-11T08:00:00')
    // One clip's creation time stays the best clock it has.
    expect((await placed([a]))[0][2]).toBe('metadata')
  })
})

describe('still images', () => {
  it('refuses PNG, JPEG and BMP pictures, and accepts MJPEG footage', async () => {
    const pictures = ['background.png', 'cam_20240311075959.jpg', 'snap.bmp'].map((n) => join(dir, n))
    for (const p of pictures) await run(ff.ffmpeg, ['-v', 'error', '-y', '-i', paths.at8, '-frames:v', '1', p])
    for (const p of pictures) await expect(probeVideo(ff.ffprobe, p)).rejects.toMatchObject({ problem: 'is a still image, not a video' })
    const mjpeg = await clip('mjpeg.avi', 9, ['-c:v', 'mjpeg'])
    await expect(probeVideo(ff.ffprobe, mjpeg)).resolves.toMatchObject({ codec: 'mjpeg', frameCount: 40 })
    // A snapshot named before the footage does not become the day's first clip.
    const day = await probeDay(ff.ffprobe, [pictures[1], paths.at8], undefined, signal)
    expect(day.clips.map((c) => c.path)).toEqual([paths.at8])
    expect(day.rejected).toEqual([{ path: pictures[1], problem: 'is a still image, not a video' }])
  })
})
