// A stopped analysis resumes only when it is the very same analysis: a mask file changed under the
// same name, or a day planned on another number of cores, starts afresh instead of adding the
// saved sums to frames decoded again.
import { execFileSync, fork, spawnSync, type ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { nodeWorkerLauncher, runJob, type WorkerLauncher } from '../../src/main/analysis/host'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { encodeGrayPng } from '../../src/main/results/png'
import { WORKER_EXEC_ARGV } from '../../src/main/runtime/read-chunk-garbage'
import { forkWorker, workerStartEnv, workerStartFor } from '../../src/main/runtime/fork-worker'
import { defaultSettings } from '../../src/shared/settings'
import type { AnalysisJob } from '../../src/shared/worker-protocol'
import { distinctCopyArgs, testClipArgs } from '../helpers/test-clips'

const entry = resolve('src/main/analysis/worker.ts')
const launch = nodeWorkerLauncher(entry)
const ff = locateFfmpeg()
let tmp: string
let clips: string[]

function job(outDir: string, overrides: Partial<AnalysisJob> = {}): AnalysisJob {
  const settings = { ...defaultSettings('occupancy'), sample: { kind: 'every' as const, n: 5 } }
  return { inputs: clips, outDir, settings, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'auto', ...overrides }
}

/** A launcher whose worker is killed, with its ffmpeg, once more than `frames` are counted. */
function killedAfter(frames: number): { launcher: WorkerLauncher; events: { onProgress: (p: { framesDone: number }) => void } } {
  let kill: (() => void) | null = null
  const launcher: WorkerLauncher = (j) => {
    const channel = launch(j)
    kill = () => channel.kill()
    return channel
  }
  return { launcher, events: { onProgress: (p) => p.framesDone > frames && kill?.() } }
}

async function expectSameArrays(dirA: string, dirB: string): Promise<void> {
  for (const file of ['heatmap.npy', 'hours.npy']) {
    const [a, b] = await Promise.all([readFile(join(dirA, file)), readFile(join(dirB, file))])
    expect(a.equals(b), `${file} is the same`).toBe(true)
  }
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-checkpoint-'))
  // Two one-minute clips: on two cores each is decoded in two parts side by side, on one core whole.
  clips = [join(tmp, 'cam-a.mp4'), join(tmp, 'cam-b.mp4')]
  execFileSync(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds: 64, gop: 10, ultrafast: true }, clips[0]))
  execFileSync(ff.ffmpeg, distinctCopyArgs(clips[0], clips[1], 'b'))
}, 60_000)

describe('resuming a stopped analysis', () => {
  it('starts afresh when the mask file was changed under the same name', async () => {
    const mask = join(tmp, 'mask.png')
    const keepAll = new Uint8Array(320 * 180)
    // White (ignored) on the left half.
    const leftHalf = keepAll.map((_, i) => (i % 320 < 160 ? 255 : 0))
    await writeFile(mask, encodeGrayPng(320, 180, keepAll))
    const out = join(tmp, 'mask-changed')
    const stopped = killedAfter(150)
    await expect(runJob(stopped.launcher, job(out, { settings: { ...job(out).settings, mask } }), stopped.events)).rejects.toThrow(/stopped unexpectedly/)

    await writeFile(mask, encodeGrayPng(320, 180, leftHalf))
    const resumed = await runJob(launch, job(out, { settings: { ...job(out).settings, mask } }))
    expect(resumed.resumedTasks).toBe(0)
    const fresh = await runJob(launch, job(join(tmp, 'mask-fresh'), { settings: { ...job(out).settings, mask } }))
    expect(resumed.frames).toEqual(fresh.frames)
    await expectSameArrays(out, join(tmp, 'mask-fresh'))
  }, 300_000)

  it('ends the run when its ffmpeg is stopped from outside (SIGTERM), and the next run resumes', async () => {
    const out = join(tmp, 'ffmpeg-stopped')
    let worker = 0
    let stopped = false
    const launcher = nodeWorkerLauncher(entry, (j) => {
      const child = forkWorker(entry, workerStartFor(j))
      worker = child.pid!
      return child
    })
    // ffmpeg catches SIGTERM and exits with code 255 (killed by it outright if it comes before
    // ffmpeg listens), as from a shutdown or a supervisor: not a damaged clip, whose frames would
    // be kept as if it ended there.
    // After the first finished task (64 frames), at the first moment an ffmpeg is running.
    const onProgress = (p: { framesDone: number }): void => {
      if (p.framesDone <= 70 || stopped) return
      stopped = spawnSync('pkill', ['-TERM', '-P', String(worker), 'ffmpeg']).status === 0
    }
    await expect(runJob(launcher, job(out), { onProgress })).rejects.toThrow(/was stopped \((a signal|SIGTERM)\); run the analysis again to resume/)
    expect(stopped).toBe(true)
    const resumed = await runJob(launch, job(out))
    expect(resumed.resumedTasks).toBeGreaterThan(0)
    const fresh = await runJob(launch, job(join(tmp, 'stopped-fresh')))
    expect(resumed.frames).toEqual(fresh.frames)
    expect(resumed.inputs.map((i) => i.problem)).toEqual([undefined, undefined])
    await expectSameArrays(out, join(tmp, 'stopped-fresh'))
  }, 300_000)

  it.runIf(availableParallelism() >= 2 && process.platform === 'linux')('starts afresh when the day is planned on another number of cores, counting every frame once', async () => {
    const out = join(tmp, 'cores-changed')
    const stopped = killedAfter(150)
    await expect(runJob(stopped.launcher, job(out), stopped.events)).rejects.toThrow(/stopped unexpectedly/)

    // The same worker, on one core (`taskset`): Node's availableParallelism() then says 1.
    const oneCore = join(tmp, 'node-on-one-core')
    await writeFile(oneCore, `#!/bin/sh\nexec taskset -c 0 "${process.execPath}" "$@"\n`)
    await chmod(oneCore, 0o755)
    const forkOnOneCore = (j: AnalysisJob): ChildProcess =>
      fork(entry, [], { execPath: oneCore, execArgv: [...WORKER_EXEC_ARGV, '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json', env: workerStartEnv(workerStartFor(j)) })
    const resumed = await runJob(nodeWorkerLauncher(entry, forkOnOneCore), job(out))
    expect(resumed.resumedTasks).toBe(0)
    const fresh = await runJob(launch, job(join(tmp, 'cores-fresh')))
    // Every 5th of 640 frames a clip.
    expect(fresh.frames.sampled).toBe(2 * 128)
    expect(resumed.frames).toEqual(fresh.frames)
    expect(resumed.inputs.map((i) => i.framesSampled)).toEqual([128, 128])
    await expectSameArrays(out, join(tmp, 'cores-fresh'))
  }, 300_000)
})
