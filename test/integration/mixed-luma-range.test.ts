// A day whose clips store luma in different ranges (a full-range clip or a still JPEG among
// limited-range clips): the automatic empty scene must read each clip in its own range, or it is
// in the wrong range for the others and their occupancy comes out several times too high.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runAnalysis } from '../../src/main/analysis/run-analysis'
import { decodeNpy } from '../../src/main/formats/npy'
import { generateClip, testClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { decodePngGray } from '../../src/main/results/png'
import { defaultSettings } from '../../src/shared/settings'
import type { Summary } from '../../src/shared/summary'
import type { AnalysisJob } from '../../src/shared/worker-protocol'

const ff = locateFfmpeg()
let tmp: string
/** Three 20-second parts of one generated minute, limited range. */
let limited: string[]
/** The first part again, full range (yuvj420p, flagged pc). */
let fullFirst: string
/** The first part's first frame as a JPEG (full range). */
let still: string

const encode = ['-c:v', 'libx264', '-preset', 'veryfast', '-g', '20', '-threads', '1']

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-mixed-range-'))
  const source = await generateClip(testClip({ name: 'minute', width: 640, height: 360, seconds: 60 }), tmp, ff.ffmpeg)
  await mkdir(join(tmp, 'parts'))
  const part = (k: number, name: string, args: string[]): string => {
    const path = join(tmp, 'parts', name)
    execFileSync(ff.ffmpeg, ['-v', 'error', '-y', '-ss', String(20 * k), '-t', '20', '-i', source.videoPath, ...args, path])
    return path
  }
  limited = [0, 1, 2].map((k) => part(k, `limited-${k}.mp4`, [...encode, '-pix_fmt', 'yuv420p']))
  fullFirst = part(0, 'full-0.mp4', ['-vf', 'scale=out_range=pc', ...encode, '-pix_fmt', 'yuvj420p', '-color_range', 'pc'])
  still = part(0, 'still.jpg', ['-frames:v', '1', '-q:v', '2'])
}, 120_000)

/** The automatic empty scene and the occupancy of a day, analysed at half the clips' width (so
 *  the luma plane is scaled as stored, the route a range mix-up spoils). */
async function analyse(name: string, inputs: string[]): Promise<{ summary: Summary; scene: Uint8Array; meanShare: number }> {
  const outDir = join(tmp, name)
  const settings = { ...defaultSettings('occupancy'), width: 320 }
  const starts = inputs.map((_, i) => new Date(Date.UTC(2024, 2, 11, 8, 0, 20 * i)).toISOString().slice(0, 19))
  const job: AnalysisJob = { inputs, outDir, settings, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, kernel: 'auto', starts }
  const summary = await runAnalysis(job, { progress: () => {}, warning: () => {} }, new AbortController().signal)
  const scene = decodePngGray(await readFile(join(outDir, 'background.png'))).gray
  const heat = decodeNpy(await readFile(join(outDir, 'heatmap.npy')))
  const meanShare = heat.data.reduce((a, v) => a + v, 0) / heat.data.length
  return { summary, scene, meanShare }
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i])
  return sum / a.length
}

/** The day with every clip in limited range, analysed once for both cases. */
let oneRange: Promise<Awaited<ReturnType<typeof analyse>>> | null = null

async function expectLikeOneRange(name: string, inputs: string[]): Promise<void> {
  const reference = await (oneRange ??= analyse('limited', limited))
  expect(reference.meanShare).toBeGreaterThan(0.005)
  const mixed = await analyse(name, inputs)
  expect(mixed.summary.resolved.reference).toMatch(/^auto: median/)
  // Close, not equal: the parts are encoded apart. A scene in the wrong range is several grey
  // levels off, and the occupancy several times higher.
  expect(meanAbsDiff(mixed.scene, reference.scene)).toBeLessThan(1)
  expect(mixed.meanShare / reference.meanShare).toBeGreaterThan(0.9)
  expect(mixed.meanShare / reference.meanShare).toBeLessThan(1.1)
}

describe('a day of clips stored in different luma ranges', () => {
  it('gets the empty scene and occupancy of the day in one range when its first clip is full range', async () => {
    await expectLikeOneRange('full-first', [fullFirst, ...limited.slice(1)])
  }, 120_000)

  it('and when a still JPEG (full range) sorts first', async () => {
    await expectLikeOneRange('still-first', [still, ...limited])
  }, 120_000)
})
