// A corpus of awkward footage, made here with ffmpeg: each file gets a clear message or is
// analysed, never a hang or a stack trace, and good clips beside bad ones are still analysed.
import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, open, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { SummarySchema, type Summary } from '../../src/shared/summary'
import { distinctCopyArgs } from '../helpers/test-clips'

const run = promisify(execFile)
const bin = resolve('bin/dwellmap.js')
let dir: string

/** A small clip with a moving square, made by ffmpeg's own test sources. */
async function makeClip(name: string, extra: string[] = [], size = '320x180', seconds = 6): Promise<string> {
  const path = join(dir, name)
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=10:duration=${seconds}`, '-pix_fmt', 'yuv420p', ...extra, path])
  return path
}

async function analyze(...args: string[]): Promise<{ code: number; stderr: string; summary: Summary | null; out: string }> {
  const out = join(dir, `out-${Math.random().toString(36).slice(2)}`)
  try {
    const r = await run(process.execPath, [bin, 'analyze', ...args, '--out', out], { timeout: 180_000 })
    return { code: 0, stderr: r.stderr, out, summary: SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))) }
  } catch (err) {
    const e = err as { code?: number; stderr?: string; killed?: boolean }
    if (e.killed) throw new Error('dwellmap hung and was killed by the test', { cause: err })
    return { code: e.code ?? -1, stderr: e.stderr ?? '', summary: null, out }
  }
}

function expectOneClearLine(stderr: string, file: string, problem: RegExp): void {
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toContain(file)
  expect(lines[0]).toMatch(problem)
  expect(stderr).not.toMatch(/\n\s+at /)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-bad-'))
})

describe('awkward and broken footage', () => {
  it('audio-only file', async () => {
    const audio = join(dir, 'sound.m4a')
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=duration=2', audio])
    const r = await analyze(audio)
    expect(r.code).not.toBe(0)
    expectOneClearLine(r.stderr, audio, /audio-only/)
  })

  it('corrupted packets in the middle of a stream: analysed, up to and past the damage', async () => {
    const ts = await makeClip('damaged.ts', ['-c:v', 'libx264', '-g', '10', '-f', 'mpegts'], '320x180', 10)
    const fh = await open(ts, 'r+')
    const { size } = await fh.stat()
    await fh.write(Buffer.alloc(20_000, 0xab), 0, 20_000, Math.floor(size / 2))
    await fh.close()
    const r = await analyze(ts, '--sample', 'every:1')
    expect(r.code).toBe(0)
    expect(r.summary!.frames.used).toBeGreaterThan(50)
  })

  it('variable frame rate', async () => {
    // Millisecond timestamps, or the encoder would round the change of rate away.
    const vfr = await makeClip('vfr.mp4', ['-vf', "settb=1/1000,setpts='if(lt(N,30),N/10,3+(N-30)/25)/TB'", '-fps_mode', 'vfr',
      '-enc_time_base', '1/1000', '-video_track_timescale', '1000'])
    const [nominal, average] = (await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=r_frame_rate,avg_frame_rate', '-of', 'csv=p=0', vfr])).stdout.trim().split(',')
    expect(nominal).not.toBe(average)
    const r = await analyze(vfr, '--sample', 'every:2')
    expect(r.code).toBe(0)
    const frames = Number((await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', vfr])).stdout.trim())
    expect(r.summary!.frames.used).toBe(Math.floor(frames / 2))
  })

  it('footage flagged as rotated (H.264 display orientation) is analysed as ffmpeg decodes it', async () => {
    // ffmpeg 5.1 cannot write a container rotation; the SEI flag is what this machine can make.
    const rotated = await makeClip('rotated.mp4', ['-c:v', 'libx264', '-bsf:v', 'h264_metadata=display_orientation=insert:rotate=90'])
    const r = await analyze(rotated, '--width', 'native')
    expect(r.code).toBe(0)
    expect(r.summary!.grid).toEqual({ width: 320, height: 180 })
    expect(r.summary!.frames.used).toBeGreaterThan(0)
  })

  it('a clip of another size in the day is refused, the rest analysed', async () => {
    const a = await makeClip('cam-a.mp4')
    const b = await makeClip('cam-b.mp4', [], '160x120')
    const r = await analyze(a, b)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`${b}: is 160x120, but the day's first clip is 320x180`)
    expect(r.summary!.inputs.find((i) => i.path === b)?.status).toBe('rejected')
    expect(r.summary!.inputs.find((i) => i.path === a)?.status).toBe('analysed')
  })

  it('a clip whose index is whole but whose frames are garbage: ffmpeg\'s reason, not its last words', async () => {
    const clip = await makeClip('garbage-frames.mp4', ['-c:v', 'libx264', '-movflags', '+faststart'])
    const bytes = await readFile(clip)
    const mdat = bytes.indexOf('mdat', 0, 'latin1') + 4
    for (let i = mdat; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24
    await writeFile(clip, bytes)
    const alone = await analyze(clip)
    expect(alone.code).not.toBe(0)
    expectOneClearLine(alone.stderr, clip, /no frame could be read to build the empty scene \(Error while decoding stream #0:0: Invalid data found when processing input\)$/)
    const beside = await analyze(await makeClip('good-beside-garbage.mp4'), clip)
    expect(beside.code).toBe(0)
    expect(beside.stderr).toContain(`${clip}: could not be decoded (Error while decoding stream #0:0: Invalid data found when processing input)`)
  })

  it('a clip given twice is analysed once', async () => {
    const clip = await makeClip('twice.mp4')
    const once = await analyze(clip, '--reference', 'frame:0')
    const twice = await analyze(clip, clip, '--reference', 'frame:0')
    expect(twice.code).toBe(0)
    expect(twice.stderr).toContain(`${clip}: is given more than once; analysed once`)
    expect(twice.summary!.frames).toEqual(once.summary!.frames)
    expect(twice.summary!.inputs.map((i) => i.status)).toEqual(['analysed', 'rejected'])
  })

  it('a day of one frame: analysed with the default settings; the seed method\'s every 5th frame passes it by, and says so', async () => {
    // At 10 frames a second the empty scene's moments fall in the one frame's interval, past its start.
    const one = await makeClip('one.mp4', ['-frames:v', '1'], '320x180', 10)
    const r = await analyze(one)
    expect(r.stderr).toBe('')
    expect(r.summary!.frames.used).toBe(1)
    // The article's every 5th frame passes one frame by: said, not blamed on the footage.
    const seed = await analyze(one, '--method', 'seed')
    expect(seed.code).not.toBe(0)
    expectOneClearLine(seed.stderr, one, /no frame would be sampled: the footage has 1 frame, fewer than the sampling step \(every 5 frames\)$/)
    // Beside a longer clip the count carries on into it (frames 5, 10, ... of the day): its one
    // frame, the day's 61st, falls between two samples, as planned, which is no problem of the clip.
    const longer = await makeClip('five-seconds.mp4')
    const day = await analyze(longer, one, '--method', 'seed')
    expect(day.code).toBe(0)
    expect(day.stderr.trim()).toBe('')
    expect(day.summary!.inputs.map((i) => [i.status, i.problem, i.framesSampled])).toEqual([['analysed', undefined, 12], ['analysed', undefined, 0]])
  })

  it('a reference time within the last frame\'s interval takes that frame; past the end, one clear line', async () => {
    // Six seconds at 10 frames a second: the last frame is shown from 5.9 s to 6.0 s.
    const clip = await makeClip('last-frame.mp4')
    const last = await analyze(clip, '--reference', 'time:5.95', '--sample', 'every:10')
    expect(last.code).toBe(0)
    expect(last.summary!.resolved.reference).toBe('time:5.95')
    const past = await analyze(clip, '--reference', 'time:6.5', '--sample', 'every:10')
    expect(past.code).not.toBe(0)
    expectOneClearLine(past.stderr, clip, /the day is shorter than 6\.5 s, so there is no reference frame there$/)
  })

  it('a mask of another shape than the picture: one line naming it (it would be stretched over it)', async () => {
    const clip = await makeClip('other-shape.mp4')
    const mask = join(dir, 'four-by-three.png')
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=white:size=320x240', '-frames:v', '1', mask])
    const r = await analyze(clip, '--mask', mask)
    expect(r.code).not.toBe(0)
    expectOneClearLine(r.stderr, mask, /is 320x240, another shape than the picture \(320x180\): make the mask on a frame of this footage$/)
  })

  it('a mask that covers the whole picture: one line naming the mask', async () => {
    const clip = await makeClip('all-masked.mp4')
    const mask = join(dir, 'all-white.png')
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=white:size=320x180', '-frames:v', '1', mask])
    const r = await analyze(clip, '--mask', mask)
    expect(r.code).not.toBe(0)
    expectOneClearLine(r.stderr, mask, /the mask covers the whole picture \(white is ignored\): nothing is left to analyse$/)
  })

  it('a raw H.264 stream with no container and no duration', async () => {
    const raw = await makeClip('raw.h264', ['-c:v', 'libx264', '-f', 'h264'])
    const r = await analyze(raw, '--sample', 'every:3')
    expect(r.code).toBe(0)
    expect(r.summary!.frames.used).toBe(20)
  })

  it('a raw H.265 stream with no container and no duration', async () => {
    const raw = await makeClip('raw.h265', ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-f', 'hevc'])
    const r = await analyze(raw, '--sample', 'every:3')
    expect(r.code).toBe(0)
    expect(r.summary!.inputs[0].codec).toBe('hevc')
    expect(r.summary!.frames.used).toBe(20)
  })

  it('a mask keeps painted areas out of the heatmap', async () => {
    const clip = await makeClip('masked.mp4')
    // Left half white = ignore.
    const mask = join(dir, 'mask.png')
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=white:size=160x180,pad=320:180:0:0:black', '-frames:v', '1', mask])
    const r = await analyze(clip, '--mask', mask, '--reference', 'frame:0', '--width', 'native')
    expect(r.code).toBe(0)
    const npy = await readFile(join(r.out, 'heatmap.npy'))
    const values = new Float32Array(npy.buffer.slice(npy.byteOffset + npy.length - 320 * 180 * 4, npy.byteOffset + npy.length))
    // What the mask hides was not measured (NaN), not "never occupied" (0).
    let hidden = 0
    let right = 0
    let measured = 0
    let sum = 0
    for (let y = 0; y < 180; y++) {
      for (let x = 0; x < 320; x++) {
        const v = values[y * 320 + x]
        if (x < 160) hidden += Number.isNaN(v) ? 1 : 0
        else {
          right += v
          measured++
          sum += v
        }
      }
    }
    expect(hidden).toBe(160 * 180)
    expect(right).toBeGreaterThan(0)
    // The hour's mean share is over the places measured: not halved by the hidden half.
    expect(r.summary!.hours).toHaveLength(1)
    expect(r.summary!.hours[0].meanShare).toBeCloseTo(sum / measured, 6)
  })

  it('a mask or reference image that cannot be read: one line naming it and its role', async () => {
    const clip = await makeClip('with-bad-images.mp4')
    const cut = join(dir, 'cut.png')
    await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180', '-frames:v', '1', join(dir, 'whole.png')])
    await writeFile(cut, (await readFile(join(dir, 'whole.png'))).subarray(0, 300))
    const text = join(dir, 'notes.png')
    await writeFile(text, 'not an image')
    const missing = join(dir, 'nowhere.png')
    const cases: Array<[string[], string, RegExp]> = [
      [['--mask', cut], cut, /is not an image that can be read as the mask$/],
      [['--mask', text], text, /is not an image that can be read as the mask$/],
      [['--mask', missing], missing, /file not found$/],
      [['--reference', cut], cut, /is not an image that can be read as the reference$/]
    ]
    for (const [option, file, problem] of cases) {
      const r = await analyze(clip, ...option)
      expect(r.code).not.toBe(0)
      expectOneClearLine(r.stderr, file, problem)
    }
  })

  it('an output path that cannot hold the results: one line naming it', async () => {
    const clip = await makeClip('to-nowhere.mp4')
    const file = join(dir, 'a-file-not-a-folder')
    await writeFile(file, 'x')
    const r = await run(process.execPath, [bin, 'analyze', clip, '--out', file], { timeout: 60_000 }).then(() => null, (err: { code?: number; stderr?: string }) => err)
    expect(r?.code).not.toBe(0)
    expectOneClearLine(r?.stderr ?? '', file, /cannot hold the results: it is a file, not a folder$/)
  })

  it('a sudden lighting change is skipped and counted, not painted as people', async () => {
    const lit = await makeClip('lights.mp4', ['-vf', "eq=brightness='if(gt(t,3),0.3,0)':eval=frame"], '320x180', 6)
    const r = await analyze(lit, '--reference', 'frame:0', '--sample', 'every:1')
    expect(r.code).toBe(0)
    expect(r.summary!.frames.skipped).toBeGreaterThan(20)
  })

  it('ffmpeg killed mid-run: a clear error, and the next run finishes the job', async () => {
    const long = await makeClip('long.mp4', [], '640x360', 120)
    const first = join(dir, 'first.mp4')
    // Other bytes: the same bytes under another name would be refused as a copy.
    await run('ffmpeg', distinctCopyArgs(long, first, 'first'))
    const out = join(dir, 'killed')
    const args = [bin, 'analyze', first, long, '--out', out, '--sample', 'every:1', '--width', 'native', '--reference', 'frame:0']
    const child = execFile(process.execPath, args)
    let stderr = ''
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((r) => child.on('exit', r))
    // Wait until the second clip is being decoded, then kill its decoder.
    const deadline = Date.now() + 150_000
    let killed = false
    while (!killed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200))
      try {
        // The decoder of the second clip, not a probe or a reference read.
        execFileSync('pkill', ['-KILL', '-f', `ffmpeg.*-i ${long} .*-f rawvideo`])
        killed = true
      } catch {
        // not running yet
      }
    }
    expect(killed).toBe(true)
    expect(await exited).not.toBe(0)
    expect(stderr.trim().split('\n').at(-1)).toContain(`the decoder for ${long} was stopped`)
    const again = await run(process.execPath, [...args, '--json'], { timeout: 300_000 })
    const done = JSON.parse(again.stdout.trim().split('\n').at(-1)!) as { summary: Summary }
    // The first clip's tasks (the whole clip, or its parts decoded side by side) were done.
    expect(done.summary.resumedTasks).toBeGreaterThan(0)
    expect(done.summary.frames.used).toBe(2400)
  }, 600_000)
})
