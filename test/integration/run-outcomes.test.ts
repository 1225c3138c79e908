// How a run ends when something outside the footage's own frames goes wrong: a clip that goes away
// while the day is analysed is that clip's problem, not the day's; an empty scene that matches no
// frame is said as such, not blamed on a clip.
import { existsSync, rmSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runAnalysis, type AnalysisEvents } from '../../src/main/analysis/run-analysis'
import { generateClip, testClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { InputError } from '../../src/main/media/probe'
import { encodeGrayPng } from '../../src/main/results/png'
import { distinctCopyArgs } from '../helpers/test-clips'
import { defaultSettings, type AnalysisSettings } from '../../src/shared/settings'
import { SummarySchema } from '../../src/shared/summary'
import type { AnalysisJob, Problem, Progress } from '../../src/shared/worker-protocol'

const ff = locateFfmpeg()
let tmp: string
/** 64 s of generated footage: two parts of a clip decoded side by side on two cores. */
let minute: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-outcomes-'))
  minute = (await generateClip(testClip({ name: 'minute', seconds: 64 }), tmp, ff.ffmpeg)).videoPath
}, 120_000)

function job(inputs: string[], outDir: string, settings: Partial<AnalysisSettings> = {}): AnalysisJob {
  return { inputs, outDir, settings: { ...defaultSettings('occupancy'), ...settings }, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'auto' }
}

function recorder(onProgress: (p: Progress) => void = () => {}): AnalysisEvents & { warnings: Problem[] } {
  const warnings: Problem[] = []
  return { warnings, progress: onProgress, warning: (w) => warnings.push(w) }
}

describe('a clip that goes away during the run', () => {
  it('is one problem of that clip: the other clips are analysed and the results written', async () => {
    const dir = join(tmp, 'vanishing')
    await mkdir(dir)
    const inputs = ['080000', '090000', '100000'].map((t) => join(dir, `cam_20240311${t}.mp4`))
    // Other bytes each: the same bytes under another name are refused as a copy.
    inputs.forEach((path, i) => execFileSync(ff.ffmpeg, distinctCopyArgs(minute, path, String(i))))
    const out = join(tmp, 'vanishing-out')
    // Deleted once the day is probed, while the empty scene is read.
    const events = recorder((p) => {
      if (p.stage === 'reference') rmSync(inputs[2], { force: true })
    })
    const summary = await runAnalysis(job(inputs, out, { sample: { kind: 'every', n: 5 } }), events, new AbortController().signal)
    expect(events.warnings.filter((w) => w.file === inputs[2])).toHaveLength(1)
    expect(summary.inputs.map((i) => i.status)).toEqual(['analysed', 'analysed', 'rejected'])
    expect(summary.inputs[2].problem).toMatch(/No such file|gone/)
    expect(summary.inputs[0].framesSampled).toBe(128)
    expect(summary.frames.used).toBeGreaterThan(0)
    expect(SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))).inputs[2].status).toBe('rejected')
    // Nothing is left to resume.
    expect(existsSync(join(out, '.dwellmap-checkpoint'))).toBe(false)
  }, 120_000)
})

describe('an empty scene that no frame matches', () => {
  async function failure(name: string, settings: Partial<AnalysisSettings>): Promise<InputError> {
    const err = await runAnalysis(job([minute], join(tmp, name), settings), recorder(), new AbortController().signal).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(InputError)
    return err as InputError
  }

  it('names the reference image, not a clip, and says every frame changed against it', async () => {
    const black = join(tmp, 'black.png')
    await writeFile(black, encodeGrayPng(320, 180, new Uint8Array(320 * 180)))
    const err = await failure('black-reference', { reference: { kind: 'image', path: black } })
    expect(err.file).toBe(black)
    expect(err.problem).toMatch(/^every sampled frame \(\d+\) changed over more than half the picture against the empty scene/)
    expect(err.problem).toMatch(/does not show this camera's view, or the threshold \(20\) is too low$/)
    expect(err.message).not.toContain(minute)
  }, 60_000)

  it('says the threshold is too low when the empty scene is built from the footage', async () => {
    const err = await failure('threshold-0', { threshold: 0 })
    expect(err.file).toBe('the empty scene (auto)')
    expect(err.problem).toMatch(/changed over more than half the picture .*the threshold \(0\) is probably too low$/)
    expect(err.message).not.toContain(minute)
  }, 60_000)
})
