// The worker process and its protocol: progress, cancel, a crash mid-run, and results that survive.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { Checkpoint } from '../../src/main/analysis/checkpoint'
import { AnalysisCancelled, AnalysisError, nodeWorkerLauncher, runJob, type WorkerLauncher } from '../../src/main/analysis/host'
import { CHECKPOINT_INTERVAL_MS, runAnalysis } from '../../src/main/analysis/run-analysis'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { runningProcessCount } from '../../src/main/media/processes'
import { indexToWire } from '../../src/main/media/mp4-keyframes'
import { probeFromIndex, probeVideoAndKeyframeGap } from '../../src/main/media/probe'
import { defaultSettings } from '../../src/shared/settings'
import type { Summary } from '../../src/shared/summary'
import type { AnalysisJob, Progress } from '../../src/shared/worker-protocol'
import { distinctCopyArgs, testClipArgs } from '../helpers/test-clips'
import { loggedTool } from '../helpers/logged-tool'

const launch = nodeWorkerLauncher(resolve('src/main/analysis/worker.ts'))
const clip = resolve('../shared/footage/one-by-one-person-detection.mp4')
const ff = locateFfmpeg()
let tmp: string

function job(outDir: string, overrides: Partial<AnalysisJob> = {}): AnalysisJob {
  return { inputs: [clip], outDir, settings: defaultSettings('seed'), ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'auto', ...overrides }
}

/** The two analyses' arrays are byte for byte the same. Counted, not diffed: vitest's diff of two
 *  1 MB buffers takes many minutes. */
async function expectSameResults(dirA: string, dirB: string, files = ['heatmap.npy', 'hours.npy']): Promise<void> {
  for (const file of files) {
    const [a, b] = await Promise.all([readFile(join(dirA, file)), readFile(join(dirB, file))])
    let differing = Math.abs(a.length - b.length)
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) differing++
    expect(differing, `bytes of ${file} that differ`).toBe(0)
  }
}

function ffmpegsReading(path: string): number {
  try {
    return execFileSync('pgrep', ['-f', `ffmpeg.*${path}`]).toString().trim().split('\n').filter(Boolean).length
  } catch {
    return 0
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-worker-'))
})

describe('analysis worker', () => {
  it('reports progress with a total and finishes with a summary', async () => {
    const progress: Progress[] = []
    const summary = await runJob(launch, job(join(tmp, 'a')), { onProgress: (p) => progress.push(p) })
    expect(summary.frames.used).toBe(278)
    const stages = new Set(progress.map((p) => p.stage))
    expect(stages).toContain('probing')
    // While probing, the files read so far; the last such report says all were read.
    expect(progress.filter((p) => p.files).at(-1)).toMatchObject({ stage: 'probing', files: { done: 1, total: 1 } })
    expect(stages).toContain('writing')
    expect(progress.find((p) => p.stage === 'reference')?.framesTotal).toBe(278)
  })

  it('gives the TypeScript kernel\'s sums with the native kernel on the thread pool (720p frames) and on the spot (smaller)', async () => {
    const hd = join(tmp, 'pooled-720p.mp4')
    execFileSync(ff.ffmpeg, testClipArgs({ size: '1280x720', rate: 10, seconds: 12, gop: 10, ultrafast: true }, hd))
    for (const width of ['native', 640] as const) {
      const settings = { ...defaultSettings('seed'), width }
      const outs = ['opencv', 'typescript'] as const
      const summaries = await Promise.all(outs.map((kernel) => runJob(launch, job(join(tmp, `pooled-${width}-${kernel}`), { inputs: [hd], settings, kernel }))))
      expect(summaries.map((s) => s.kernel)).toEqual(outs)
      expect(summaries[0].grid.width).toBe(width === 'native' ? 1280 : 640)
      expect(summaries[0].frames.used).toBe(24)
      await expectSameResults(join(tmp, `pooled-${width}-opencv`), join(tmp, `pooled-${width}-typescript`), ['heatmap.npy'])
    }
  })

  it('stops on cancel, leaving no ffmpeg behind', async () => {
    const controller = new AbortController()
    const started = runJob(launch, job(join(tmp, 'b'), { kernel: 'typescript' }), {
      signal: controller.signal,
      onProgress: (p) => p.stage === 'accumulating' && controller.abort()
    })
    await expect(started).rejects.toBeInstanceOf(AnalysisCancelled)
    await new Promise((r) => setTimeout(r, 300))
    expect(ffmpegsReading(clip)).toBe(0)
  })

  it('ends with a clear error when the worker dies mid-run, and keeps earlier results intact', async () => {
    const out = join(tmp, 'c')
    await runJob(launch, job(out))
    const before = await readFile(join(out, 'summary.json'), 'utf8')
    let kill: (() => void) | null = null
    const killable: WorkerLauncher = (j) => {
      const channel = launch(j)
      kill = () => channel.kill()
      return channel
    }
    const run = runJob(killable, job(out, { kernel: 'typescript' }), { onProgress: (p) => p.stage === 'accumulating' && kill?.() })
    await expect(run).rejects.toThrow(/analysis worker stopped unexpectedly/)
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe(before)
  })

  it('resumes from the checkpoint of a run killed part-way, counting every frame once', async () => {
    const second = join(tmp, 'second-clip.mp4')
    execFileSync(ff.ffmpeg, distinctCopyArgs(clip, second, 'second'))
    const day = { inputs: [clip, second], settings: { ...defaultSettings('occupancy'), sample: { kind: 'every' as const, n: 25 } } }
    const fresh = await runJob(launch, job(join(tmp, 'fresh'), day))
    expect(fresh.resumedTasks).toBe(0)

    const out = join(tmp, 'resumed')
    let kill: (() => void) | null = null
    const killable: WorkerLauncher = (j) => {
      const channel = launch(j)
      kill = () => channel.kill()
      return channel
    }
    // Killed once more than a clip's frames are counted: some tasks (clips, or parts of them,
    // decoded side by side) are done, others under way.
    const perClip = fresh.inputs[0].framesSampled
    const first = runJob(killable, job(out, day), { onProgress: (p) => p.framesDone > perClip + 5 && kill?.() })
    await expect(first).rejects.toThrow(/stopped unexpectedly/)
    const resumed = await runJob(launch, job(out, day))
    expect(resumed.resumedTasks).toBeGreaterThan(0)
    expect(resumed.frames).toEqual(fresh.frames)
    await expectSameResults(out, join(tmp, 'fresh'))
    // A finished analysis leaves no checkpoint behind.
    expect(existsSync(join(out, '.dwellmap-checkpoint'))).toBe(false)
  }, 600_000)

  it('saves the checkpoint after the first finished task, then at most every few seconds, not after every clip', async () => {
    // A day of short clips (each cut into parts decoded side by side), every task taking well
    // under the interval.
    const inputs = [clip]
    for (const name of ['two', 'three', 'four']) {
      inputs.push(join(tmp, `${name}.mp4`))
      execFileSync(ff.ffmpeg, distinctCopyArgs(clip, inputs.at(-1)!, name))
    }
    const settings = { ...defaultSettings('occupancy'), sample: { kind: 'every' as const, n: 25 } }
    const save = vi.spyOn(Checkpoint.prototype, 'save')
    try {
      const started = performance.now()
      const progress: Progress[] = []
      const summary = await runAnalysis(job(join(tmp, 'throttled'), { inputs, settings }), { progress: (p) => progress.push(p), warning: () => {} }, new AbortController().signal)
      const elapsed = performance.now() - started
      expect(summary.inputs.filter((i) => i.status === 'analysed')).toHaveLength(4)
      const reading = progress.filter((p) => p.files).map((p) => p.files!)
      expect(reading.at(-1)).toEqual({ done: 4, total: 4 })
      expect(reading.every((f, i) => i === 0 || f.done > reading[i - 1].done)).toBe(true)
      // One save after the first task, then one per interval at most (here the whole run took
      // ~6 s: one save, where a save after every task but the last made seven).
      expect(save.mock.calls.length).toBeGreaterThanOrEqual(1)
      expect(save.mock.calls.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / CHECKPOINT_INTERVAL_MS))
    } finally {
      save.mockRestore()
    }
  }, 120_000)

  it('probes each clip once, reading the first clip\'s keyframe spacing in the same run', async () => {
    // ffprobe behind a wrapper that logs each start. The clip names give their clocks: given in
    // the day's order, then in reverse, when the spacing of the clip sorted first is read apart.
    // A keyframe every 0.4 s over two minutes: `auto` takes keyframes only if the spacing was read.
    // Matroska: plain MP4 clips are probed from their index, without ffprobe (below).
    const ffprobe = await loggedTool(join(tmp, 'ffprobe-logged'), ff.ffprobe)
    const wrapper = ffprobe.path
    const early = join(tmp, 'cam_20240311080000.mkv')
    const late = join(tmp, 'cam_20240311090000.mkv')
    execFileSync(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds: 60, gop: 4, fixedGop: true, ultrafast: true }, early))
    execFileSync(ff.ffmpeg, distinctCopyArgs(early, late, 'late'))
    const asMp4 = [early, late].map((p) => p.replace(/mkv$/, 'mp4'))
    for (const [i, p] of [early, late].entries()) execFileSync(ff.ffmpeg, ['-v', 'error', '-y', '-i', p, '-c', 'copy', asMp4[i]])
    const starts = async (inputs: string[]): Promise<number> => {
      await ffprobe.clear()
      const summary = await runAnalysis(job(join(tmp, `probes-${inputs.length}-${inputs[0].length}`), { inputs, ffprobePath: wrapper, settings: defaultSettings('occupancy') }),
        { progress: () => {}, warning: () => {} }, new AbortController().signal)
      expect(summary.resolved.sample).toMatch(/keyframes/)
      return (await ffprobe.runs()).length
    }
    expect(await starts([early, late])).toBe(2)
    expect(await starts([late, early])).toBe(3)
    expect(await starts(asMp4)).toBe(0)
    expect(await starts([...asMp4].reverse())).toBe(1)
    // Probes the host kept (the app probes clips when they are added) stand for unchanged files;
    // a file changed since is probed again.
    const kept = await Promise.all([early, late].map(async (path) => {
      const { info, keyframeGap } = await probeVideoAndKeyframeGap(ff.ffprobe, path)
      return { ...info, keyframeGap }
    }))
    const withKept = async (): Promise<{ starts: number; summary: Summary }> => {
      await ffprobe.clear()
      const summary = await runAnalysis(job(join(tmp, 'probes-kept'), { inputs: [early, late], probes: kept, ffprobePath: wrapper, settings: defaultSettings('occupancy') }),
        { progress: () => {}, warning: () => {} }, new AbortController().signal)
      return { starts: (await ffprobe.runs()).length, summary }
    }
    const unchanged = await withKept()
    expect(unchanged.starts).toBe(0)
    expect(unchanged.summary.resolved.sample).toMatch(/keyframes/)
    expect(unchanged.summary.inputs.map((i) => i.durationSeconds)).toEqual([60, 60])
    await utimes(late, new Date(), new Date())
    expect((await withKept()).starts).toBe(1)

    // The CLI hands over the MP4 clips' probes and keyframes, read while the worker starts: the
    // worker reads neither again. An index listing every other keyframe shows that the one handed
    // over is used; once its file has changed, the clip's own index is read again.
    const read = await Promise.all(asMp4.map(async (p) => (await probeFromIndex(p))!))
    const probes = read.map((r) => ({ ...r.info, keyframeGap: r.keyframeGap }))
    const halved = read.map((r) => indexToWire({ ...r.keyframes, keyframes: r.keyframes.keyframes.filter((_, k) => k % 2 === 0) }))
    const perClip = async (name: string): Promise<number[]> => {
      await ffprobe.clear()
      // Keyframes asked for: auto would (rightly) distrust an index at odds with the probe.
      const settings = { ...defaultSettings('occupancy'), sample: { kind: 'keyframes' as const } }
      const summary = await runAnalysis(job(join(tmp, name), { inputs: asMp4, probes, indexes: halved, ffprobePath: wrapper, settings }),
        { progress: () => {}, warning: () => {} }, new AbortController().signal)
      expect(await ffprobe.runs()).toHaveLength(0)
      return summary.inputs.map((i) => i.framesSampled)
    }
    const own = read.map((r) => r.keyframes.keyframes.length)
    expect(await perClip('given-indexes')).toEqual(own.map((n) => Math.ceil(n / 2)))
    await utimes(asMp4[1], new Date(), new Date())
    expect(await perClip('given-indexes-stale')).toEqual([Math.ceil(own[0] / 2), own[1]])
  }, 120_000)

  it('builds the empty scene of a short clip with keyframes far apart in one pass, not by seeking', async () => {
    // 70 s at 25 fps with a keyframe every 10 s: 31 seeks would each decode ~125 frames.
    const ffmpeg = await loggedTool(join(tmp, 'ffmpeg-logged'), ff.ffmpeg)
    const gop = join(tmp, 'long-gop.mp4')
    execFileSync(ff.ffmpeg, testClipArgs({ size: '160x90', rate: 25, seconds: 70, gop: 250, fixedGop: true, ultrafast: true }, gop))
    const summary = await runAnalysis(job(join(tmp, 'long-gop'), { inputs: [gop], ffmpegPath: ffmpeg.path, settings: defaultSettings('occupancy') }),
      { progress: () => {}, warning: () => {} }, new AbortController().signal)
    expect(summary.frames.used).toBeGreaterThan(0)
    expect(summary.resolved.reference).toBe('auto: median of 31 frames spread over the day (one pass over the clips), ghosts removed')
    const runs = await ffmpeg.runs()
    // Neither the keyframe route (7 keyframes cannot give 19 different frames) nor a seek ran.
    expect(runs.filter((r) => r.includes('concat'))).toEqual([])
    expect(runs.filter((r) => r.includes('-frames:v 1 '))).toEqual([])
    expect(runs.filter((r) => r.includes('select=eq(n'))).toHaveLength(1)
  }, 120_000)

  it('gives the same result whether or not the first decoder started while the empty scene was computed', async () => {
    // A minute with a keyframe every second: the empty scene comes from keyframes, and
    // the day is decoded through the MP4 index.
    const small = join(tmp, 'minute.mp4')
    execFileSync(ff.ffmpeg, testClipArgs({ size: '640x360', rate: 10, seconds: 60, gop: 10, ultrafast: true }, small))
    const day = { inputs: [small], settings: defaultSettings('occupancy') }
    const early = join(tmp, 'early')
    await runJob(launch, job(early, day))
    // A checkpoint folder (here an empty one, so nothing to resume) keeps the decoder from starting early.
    const late = join(tmp, 'late')
    await mkdir(join(late, '.dwellmap-checkpoint'), { recursive: true })
    await runJob(launch, job(late, day))
    await expectSameResults(late, early)
    expect(existsSync(join(late, '.dwellmap-checkpoint'))).toBe(false)
  })

  it('reads the empty scene\'s keyframes and then the clip\'s in one ffmpeg, with the same result as two', async () => {
    // Larger than the analysis grid (640 wide), a keyframe every second, read through the index.
    const hd = join(tmp, 'minute-720p.mp4')
    execFileSync(ff.ffmpeg, testClipArgs({ size: '1280x720', rate: 10, seconds: 60, gop: 10, ultrafast: true }, hd))
    const ffmpeg = await loggedTool(join(tmp, 'ffmpeg-shared'), ff.ffmpeg)
    // `auto` samples a minute more densely than its keyframes: keyframes, as on longer footage.
    const day = { inputs: [hd], settings: { ...defaultSettings('occupancy'), sample: { kind: 'keyframes' as const } }, ffmpegPath: ffmpeg.path }
    const runs = async (out: string, settings = day.settings): Promise<{ summary: Summary; runs: string[] }> => {
      await ffmpeg.clear()
      const summary = await runJob(launch, job(out, { ...day, settings }))
      return { summary, runs: await ffmpeg.runs() }
    }
    const one = await runs(join(tmp, 'shared'))
    // An empty checkpoint folder: nothing to resume, but no decoder starts before the reference.
    const apart = join(tmp, 'shared-apart')
    await mkdir(join(apart, '.dwellmap-checkpoint'), { recursive: true })
    const two = await runs(apart)
    // The one ffmpeg is the one the worker started as it started, its filters given later on fd 3.
    expect(one.runs).toHaveLength(1)
    expect(one.runs[0]).toContain('pipe:0')
    expect(one.runs[0]).toContain('-filter_script:v pipe:3')
    // Apart, it decodes the empty scene's keyframes, and the clip's decoder is a second ffmpeg.
    expect(two.runs).toHaveLength(2)
    expect(two.runs[0]).toContain('-filter_script:v pipe:3')
    expect(two.runs[1]).not.toContain('pipe:3')
    // For a chosen reference frame the worker warms no ffmpeg.
    const chosen = await runs(join(tmp, 'shared-chosen'), { ...day.settings, reference: { kind: 'frame', index: 0 } })
    expect(chosen.runs.some((r) => r.includes('pipe:3'))).toBe(false)
    expect(chosen.summary.frames.sampled).toBe(60)
    expect(one.summary.resolved).toEqual(two.summary.resolved)
    expect(one.summary.frames).toEqual({ sampled: 60, used: 60, skipped: 0 })
    expect(two.summary.frames).toEqual(one.summary.frames)
    await expectSameResults(apart, join(tmp, 'shared'), ['heatmap.npy', 'hours.npy', 'background.png'])
  })

  it('starts the decoders beside the ffmpeg that reads a chosen reference frame, with the same result', async () => {
    const settings = { ...defaultSettings('seed'), reference: { kind: 'frame' as const, index: 30 }, sample: { kind: 'every' as const, n: 5 } }
    /** Runs the analysis here (not in a worker), noting the most ffmpeg runs seen at once. */
    const analyse = async (out: string): Promise<number> => {
      let most = 0
      const watch = setInterval(() => (most = Math.max(most, runningProcessCount())), 2)
      try {
        await runAnalysis(job(out, { settings }), { progress: () => {}, warning: () => {} }, new AbortController().signal)
      } finally {
        clearInterval(watch)
      }
      return most
    }
    // The clip is decoded in two parts side by side; both start while frame 30 is read.
    expect(await analyse(join(tmp, 'frame-early'))).toBe(3)
    const late = join(tmp, 'frame-late')
    await mkdir(join(late, '.dwellmap-checkpoint'), { recursive: true })
    expect(await analyse(late)).toBe(2)
    await expectSameResults(late, join(tmp, 'frame-early'), ['heatmap.npy'])
  })

  it('reports a bad input as a problem with the file named', async () => {
    const run = runJob(launch, job(join(tmp, 'd'), { inputs: [join(tmp, 'missing.mp4')] }))
    await expect(run).rejects.toBeInstanceOf(AnalysisError)
    await expect(run).rejects.toThrow(`${join(tmp, 'missing.mp4')}: file not found`)
  })
})
