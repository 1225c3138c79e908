// `--kernel opencv` where the addon cannot load: the analysis fails with that reason, and the
// decoder it started for the empty scene (and the first clip) does not outlive it.
import { execFile } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it, vi } from 'vitest'
import { runAnalysis } from '../../src/main/analysis/run-analysis'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { runningProcessCount } from '../../src/main/media/processes'
import { defaultSettings } from '../../src/shared/settings'
import { testClipArgs } from '../helpers/test-clips'

vi.mock('../../src/main/analysis/kernels/choose-kernel', async (original) => {
  const real = await original<typeof import('../../src/main/analysis/kernels/choose-kernel')>()
  return {
    ...real,
    pickKernel: (want: Parameters<typeof real.pickKernel>[0]) => {
      if (want === 'opencv') throw new Error('the OpenCV addon could not be loaded: (simulated)')
      return real.pickKernel(want)
    }
  }
})

const run = promisify(execFile)
const ff = locateFfmpeg()

describe('the native kernel asked for and unavailable', () => {
  it('ends the analysis with the reason and stops the decoder it started', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dwellmap-no-kernel-'))
    const clip = join(dir, 'minute-720p.mp4')
    // Larger than the grid, a keyframe every second: the empty scene's decoder goes on with the clip.
    await run(ff.ffmpeg, testClipArgs({ size: '1280x720', rate: 10, seconds: 60, gop: 10, ultrafast: true }, clip))
    const settings = { ...defaultSettings('occupancy'), sample: { kind: 'keyframes' as const } }
    const job = { inputs: [clip], outDir: join(dir, 'out'), settings, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'opencv' as const }
    await expect(runAnalysis(job, { progress: () => {}, warning: () => {} }, new AbortController().signal)).rejects.toThrow('could not be loaded')
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(0)
  })
})
