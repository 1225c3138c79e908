// Per-hour sums count each frame in the hour of its own time, as ffmpeg gives it, not of its
// count at the clip's average rate: footage whose frame rate or keyframe spacing varies (cameras
// that drop frames at night, that stretch the GOP in still scenes) lands in the right hours.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { SummarySchema } from '../../src/shared/summary'
import { dwellmap } from '../helpers/run-cli'

const run = promisify(execFile)
const ff = locateFfmpeg()
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-frame-times-'))
})

async function make(name: string, args: string[], seconds = 60): Promise<string> {
  const path = join(dir, name)
  await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=10:duration=${seconds}`, ...args, path])
  return path
}

/** Frames used in each clock hour ("08:00" ...) of an analysis starting at `start`. */
async function hours(clip: string, start: string, sample: string): Promise<Array<[string, number]>> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`)
  const r = await dwellmap('analyze', clip, '--out', out, '--sample', sample, '--start', start)
  expect(r.stderr).toBe('')
  const summary = SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')))
  return summary.hours.map((h) => [h.start.slice(11, 16), h.framesUsed])
}

describe('frames in the hours of their own time', () => {
  it('a variable frame rate: 60 frames in the first 30 s, 300 in the next 30 s', async () => {
    // The average rate (6 a second) would put 180 frames on each side of the hour.
    const vfr = await make('vfr.mp4', [
      '-vf', "setpts='if(lt(N,60),N*0.5,30+(N-60)*0.1)/TB',trim=end_frame=360", '-fps_mode', 'vfr',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-video_track_timescale', '1000'
    ])
    expect(await hours(vfr, '2026-03-09T08:59:30', 'every:1')).toEqual([['08:00', 60], ['09:00', 300]])
  })

  it('keyframes a second apart for a minute, then five seconds apart', async () => {
    // The spacing read from the first two minutes (~1.7 s) would put 36 keyframes before the hour.
    const stretched = await make('stretched-gop.mp4', [
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '1000', '-sc_threshold', '0',
      '-force_key_frames', 'expr:if(lt(t,60),gte(t,n_forced),gte(t,60+(n_forced-60)*5))'
    ], 120)
    expect(await hours(stretched, '2026-03-09T08:59:00', 'keyframes')).toEqual([['08:00', 60], ['09:00', 12]])
  })

  it('a raw H.264 stream (no container): its keyframes on both sides of the hour', async () => {
    const raw = await make('raw.h264', ['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '10', '-f', 'h264'])
    const counts = await hours(raw, '2026-03-09T08:59:30', 'keyframes')
    expect(counts.map(([h]) => h)).toEqual(['08:00', '09:00'])
    expect(Math.abs(counts[0][1] - counts[1][1])).toBeLessThanOrEqual(2)
  })
})
