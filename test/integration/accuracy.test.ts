// How close the default heatmap comes to where people really were: the built CLI, default
// settings, on real footage with person boxes and on freshly generated demo days with exact truth.
// Pearson r on an 8-pixel grid, as ../shared/footage/README.md suggests.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeNpy } from '../../src/main/formats/npy'
import { DEMO_DAYS, generateClip, type GeneratedClip } from '../../src/main/footage'
import { occupancyFromBoxes } from '../helpers/ground-truth'
import { blockMeans, pearson } from '../helpers/stats'

const run = promisify(execFile)
const bin = resolve('bin/dwellmap.js')
const footage = resolve('../shared/footage')
const FFMPEG = '/usr/bin/ffmpeg'
const CELL = 8

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-accuracy-'))
})
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** Runs `dwellmap analyze` and returns the heatmap. */
async function analyze(clip: string, name: string, ...options: string[]) {
  const out = join(tmp, name)
  await run(process.execPath, [bin, 'analyze', clip, '--out', out, ...options], { timeout: 300_000 })
  return decodeNpy(await readFile(join(out, 'heatmap.npy')))
}

/** r between a heatmap and ground truth of a (possibly larger) picture, nearest-neighbour scaled. */
function correlation(heat: { width: number; height: number; data: ArrayLike<number> }, truth: ArrayLike<number>, width: number, height: number): number {
  const scaled = new Float64Array(width * height)
  for (let y = 0; y < height; y++) {
    const hy = Math.min(heat.height - 1, Math.floor((y * heat.height) / height))
    for (let x = 0; x < width; x++) {
      const hx = Math.min(heat.width - 1, Math.floor((x * heat.width) / width))
      scaled[y * width + x] = heat.data[hy * heat.width + hx]
    }
  }
  return pearson(blockMeans(scaled, width, height, CELL), blockMeans(truth, width, height, CELL))
}

/** Real footage: ground truth is person boxes on the 640x480 picture. */
const TUD: Array<{ clip: string; frames: number; minR: number }> = [
  { clip: 'TUD-Stadtmitte', frames: 179, minR: 0.88 },
  { clip: 'TUD-Campus', frames: 71, minR: 0.82 }
]

describe('accuracy of the default occupancy heatmap', () => {
  for (const { clip, frames, minR } of TUD) {
    it(`${clip}: r >= ${minR} against the person boxes`, async () => {
      const heat = await analyze(join(footage, `${clip}.mp4`), clip)
      const truth = await occupancyFromBoxes(join(footage, `${clip}_gt.txt`), 640, 480, frames)
      const r = correlation(heat, truth, 640, 480)
      console.log(`accuracy: ${clip} (defaults) r = ${r.toFixed(3)}`)
      expect(r).toBeGreaterThanOrEqual(minR)
    })
  }

  describe('generated demo days', () => {
    const generated = new Map<string, GeneratedClip>()
    beforeAll(async () => {
      for (const spec of DEMO_DAYS) generated.set(spec.name, await generateClip(spec, join(tmp, 'footage'), FFMPEG))
    })

    for (const spec of DEMO_DAYS) {
      it(`${spec.name}: r >= 0.95 against the painted people`, async () => {
        const clip = generated.get(spec.name)!
        const heat = await analyze(clip.videoPath, spec.name)
        const truth = decodeNpy(await readFile(clip.truthPath))
        expect([heat.width, heat.height]).toEqual([truth.width, truth.height])
        const r = correlation(heat, truth.data, truth.width, truth.height)
        console.log(`accuracy: ${spec.name} (defaults) r = ${r.toFixed(3)}`)
        expect(r).toBeGreaterThanOrEqual(0.95)
      })
    }
  })
})

describe('accuracy of the seed method (the article baseline)', () => {
  it('TUD-Stadtmitte, first frame as reference, every frame: r stays within 0.55..0.62', async () => {
    const heat = await analyze(join(footage, 'TUD-Stadtmitte.mp4'), 'seed', '--method', 'seed', '--reference', 'frame:0', '--sample', 'every:1')
    const truth = await occupancyFromBoxes(join(footage, 'TUD-Stadtmitte_gt.txt'), 640, 480, 179)
    const r = correlation(heat, truth, 640, 480)
    console.log(`accuracy: TUD-Stadtmitte (seed, frame:0, every:1) r = ${r.toFixed(3)}`)
    expect(r).toBeGreaterThanOrEqual(0.55)
    expect(r).toBeLessThanOrEqual(0.62)
  })
})
