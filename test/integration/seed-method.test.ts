// The seed method against a straightforward, independent implementation of the article's steps:
// every frame decoded to grey, frames 5, 10, 15... (counting from 1, as the article's loop does),
// cv.blur 11x11, absdiff against the blurred frame 0, summed in float64.
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { loadOpenCV } from '../../src/main/analysis/kernels/opencv-kernel'
import { decodeNpy } from '../../src/main/formats/npy'
import { pearson } from '../helpers/stats'

const clip = resolve('../shared/footage/one-by-one-person-detection.mp4')
const [W, H] = [768, 432]

async function articleSum(): Promise<Float64Array> {
  const loaded = loadOpenCV()
  if (!('cv' in loaded)) throw new Error(loaded.error)
  const cv = loaded.cv
  const size = W * H
  const total = new Float64Array(size)
  // cv2.blur's defaults in the article's Python: centred anchor, BORDER_REFLECT_101. The Node
  // binding's blur(size) alone does not default to the same anchor, so they are spelt out.
  const blur = (frame: Buffer) => new cv.Mat(Buffer.from(frame), H, W, cv.CV_8UC1).blur(new cv.Size(11, 11), new cv.Point2(-1, -1), cv.BORDER_REFLECT_101)
  let reference: ReturnType<typeof blur> | null = null
  let index = 0
  let pending = Buffer.alloc(0)
  const ff = spawn('ffmpeg', ['-v', 'error', '-i', clip, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'])
  for await (const chunk of ff.stdout as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk])
    while (pending.length >= size) {
      const frame = pending.subarray(0, size)
      pending = pending.subarray(size)
      const i = ++index
      if (i === 1) reference = blur(frame)
      if (i % 5) continue
      const diff = blur(frame).absdiff(reference!).getData()
      for (let p = 0; p < size; p++) total[p] += diff[p]
    }
  }
  return total
}

describe('seed method', () => {
  it('matches a straightforward implementation of the article\'s steps', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'dwellmap-seed-')), 'r')
    await promisify(execFile)(process.execPath, [resolve('bin/dwellmap.js'), 'analyze', clip, '--out', out, '--method', 'seed', '--reference', 'frame:0'])
    const ours = decodeNpy(await readFile(join(out, 'heatmap.npy')))
    const theirs = await articleSum()
    const r = pearson(ours.data, theirs)
    console.log(`seed method vs straightforward implementation: r = ${r.toFixed(6)}`)
    expect(r).toBeGreaterThan(0.999)
    // In fact the numbers are the same.
    let worst = 0
    for (let i = 0; i < theirs.length; i++) worst = Math.max(worst, Math.abs(ours.data[i] - theirs[i]))
    expect(worst).toBe(0)
  }, 300_000)
})
