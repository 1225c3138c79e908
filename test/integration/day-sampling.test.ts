// A day's sampling is the day's, not each clip's: short clips continue the day's count, clips at
// different frame rates are sampled by time, and keyframes are used only when every clip's serve.
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { runAnalysis, type AnalysisEvents } from '../../src/main/analysis/run-analysis'
import { decodeGrayFrames } from '../../src/main/media/gray-frames'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { defaultSettings, type AnalysisSettings } from '../../src/shared/settings'
import type { AnalysisJob, Problem, Progress } from '../../src/shared/worker-protocol'
import { testClipArgs, type TestClip } from '../helpers/test-clips'

const run = promisify(execFile)
const ff = locateFfmpeg()
let tmp: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-day-sampling-'))
})

async function clip(dir: string, name: string, c: Partial<TestClip> & { seconds: number; rate: number }): Promise<string> {
  const path = join(dir, name)
  // Each file its own bytes (same footage twice is analysed once).
  const args = testClipArgs({ size: '160x90', gop: 1000, ultrafast: true, ...c }, path)
  await run(ff.ffmpeg, [...args.slice(0, -1), '-metadata', `comment=${name}`, path])
  return path
}

function job(inputs: string[], outDir: string, settings: Partial<AnalysisSettings> = {}): AnalysisJob {
  return { inputs, outDir, settings: { ...defaultSettings('occupancy'), ...settings }, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'auto' }
}

function recorder(): AnalysisEvents & { warnings: Problem[]; stages: Set<string> } {
  const warnings: Problem[] = []
  const stages = new Set<string>()
  return { warnings, stages, progress: (p: Progress) => stages.add(p.stage), warning: (w) => warnings.push(w) }
}

const hash = (f: Uint8Array): string => createHash('sha1').update(f).digest('hex')

describe('a day of clips shorter than the step', () => {
  it('continues the day\'s count from clip to clip: the short clips\' hour is sampled at the day\'s rate', async () => {
    const dir = join(tmp, 'short')
    await mkdir(dir)
    // 10 minutes at 10 fps (keyframes 25 s apart: a frame step, every 20th frame), then ten
    // clips of 1.9 s (19 frames) an hour later.
    const inputs = [await clip(dir, 'cam_20240311080000.mp4', { seconds: 600, rate: 10, gop: 250 })]
    for (let i = 0; i < 10; i++) inputs.push(await clip(dir, `cam_202403110900${String(i * 2).padStart(2, '0')}.mp4`, { seconds: 1.9, rate: 10 }))
    const events = recorder()
    const summary = await runAnalysis(job(inputs, join(tmp, 'short-out')), events, new AbortController().signal)
    expect(summary.resolved.sample).toBe('every:20')
    expect(summary.hours.map((h) => h.framesUsed)).toEqual([300, 9])
    // A clip the day's step passed by is not a problem.
    expect(summary.inputs.every((i) => i.status === 'analysed' && !i.problem)).toBe(true)
    expect(events.warnings).toEqual([])
  }, 120_000)

  it('says up front, before decoding, that a plan samples nothing', async () => {
    const dir = join(tmp, 'nothing')
    await mkdir(dir)
    const inputs = [await clip(dir, 'a.mp4', { seconds: 1.9, rate: 10 }), await clip(dir, 'b.mp4', { seconds: 1.9, rate: 10 })]
    const events = recorder()
    await expect(runAnalysis(job(inputs, join(tmp, 'nothing-out'), { sample: { kind: 'every', n: 1000 } }), events, new AbortController().signal))
      .rejects.toThrow(/no frame would be sampled: the footage has 38 frames, fewer than the sampling step \(every 1000 frames\)/)
    expect(events.stages.has('reference')).toBe(false)
  }, 60_000)

  it('an every-N decode with a phase takes frames N-1-phase, 2N-1-phase, ...', async () => {
    const path = await clip(tmp, 'phase.mp4', { seconds: 3, rate: 10 })
    const o = { ffmpeg: ff.ffmpeg, input: path, width: 160, height: 90 }
    const all: string[] = []
    await decodeGrayFrames({ ...o, sampling: { kind: 'every', n: 1 } }, (f) => all.push(hash(f)))
    const some: string[] = []
    await decodeGrayFrames({ ...o, sampling: { kind: 'every', n: 7, phase: 4 } }, (f) => some.push(hash(f)))
    expect(some).toEqual([2, 9, 16, 23].map((i) => all[i]))
  }, 60_000)
})

describe('clips at different frame rates', () => {
  it('are sampled by time under auto', async () => {
    const dir = join(tmp, 'rates')
    await mkdir(dir)
    const inputs = [await clip(dir, 'cam_20240311080000.mp4', { seconds: 30, rate: 10 }), await clip(dir, 'cam_20240311090000.mp4', { seconds: 30, rate: 25 })]
    const summary = await runAnalysis(job(inputs, join(tmp, 'rates-out')), recorder(), new AbortController().signal)
    expect(summary.inputs.map((i) => i.framesSampled)).toEqual([150, 150])
    expect(summary.resolved.sample).toMatch(/^every 0.2 s \(every:2\/5/)
  }, 120_000)

  it('are said to weigh by rate under every:N', async () => {
    const dir = join(tmp, 'rates-n')
    await mkdir(dir)
    const inputs = [await clip(dir, 'cam_20240311080000.mp4', { seconds: 6, rate: 10 }), await clip(dir, 'cam_20240311090000.mp4', { seconds: 6, rate: 25 })]
    const events = recorder()
    await runAnalysis(job(inputs, join(tmp, 'rates-n-out'), { sample: { kind: 'every', n: 7 } }), events, new AbortController().signal)
    expect(events.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/different frame rates \(10, 25 fps\): every:7/)])
  }, 60_000)
})

describe('keyframes under auto', () => {
  it('are not used when a later clip has far sparser keyframes than the first', async () => {
    const dir = join(tmp, 'gop')
    await mkdir(dir)
    const inputs = [
      await clip(dir, 'cam_20240311080000.mp4', { seconds: 100, rate: 10, gop: 10, fixedGop: true }),
      await clip(dir, 'cam_20240311090000.mp4', { seconds: 100, rate: 10 }),
      await clip(dir, 'cam_20240311100000.mp4', { seconds: 100, rate: 10 })
    ]
    const events = recorder()
    const summary = await runAnalysis(job(inputs, join(tmp, 'gop-out')), events, new AbortController().signal)
    expect(summary.resolved.sample).toBe('every:10')
    expect(summary.inputs.map((i) => i.framesSampled)).toEqual([100, 100, 100])
  }, 120_000)

  it('are not used when the first clip is all keyframes (MJPEG)', async () => {
    const dir = join(tmp, 'mjpeg')
    await mkdir(dir)
    const mj = join(dir, 'cam_20240311070000.avi')
    await run(ff.ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=10:duration=20', '-c:v', 'mjpeg', '-q:v', '5', mj])
    const inputs = [mj]
    for (const t of ['080000', '090000', '100000']) inputs.push(await clip(dir, `cam_20240311${t}.mp4`, { seconds: 20, rate: 10, gop: 10, fixedGop: true }))
    const summary = await runAnalysis(job(inputs, join(tmp, 'mjpeg-out')), recorder(), new AbortController().signal)
    expect(summary.resolved.sample).toBe('every:2')
    expect(summary.inputs.map((i) => i.framesSampled)).toEqual([100, 100, 100, 100])
  }, 120_000)

  it('explicit keyframes on such a day are said to weigh clips by their keyframes', async () => {
    const dir = join(tmp, 'gop')
    const inputs = ['080000', '090000', '100000'].map((t) => join(dir, `cam_20240311${t}.mp4`))
    const events = recorder()
    const summary = await runAnalysis(job(inputs, join(tmp, 'gop-kf-out'), { sample: { kind: 'keyframes' } }), events, new AbortController().signal)
    expect(summary.inputs.map((i) => i.framesSampled)).toEqual([100, 1, 1])
    expect(events.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/keyframe only every 100 s/)])
  }, 120_000)
})
