// The synthetic footage generator: real ffmpeg, real files. Other tests and the benchmarks trust
// its ground truth, so check that the video shows what the truth says.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeNpy, type Float32Grid } from '../../src/main/formats/npy'
import { FigureScript, figureBox, generateClip, testClip, type Box, type ClipSpec, type GeneratedClip } from '../../src/main/footage'

const FFMPEG = '/usr/bin/ffmpeg'
const FFPROBE = '/usr/bin/ffprobe'

function run(command: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.once('error', reject)
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out))
      else reject(new Error(`${command} exited with ${code}: ${Buffer.concat(err).toString()}`))
    })
  })
}

interface Probe {
  streams: { codec_name: string; width: number; height: number; pix_fmt: string; nb_read_packets: string }[]
  packets: { pts_time: string; flags: string }[]
}

async function probe(path: string): Promise<Probe> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-count_packets', '-show_entries',
    'stream=codec_name,width,height,pix_fmt,nb_read_packets:packet=pts_time,flags', '-of', 'json', path]
  return JSON.parse((await run(FFPROBE, args)).toString()) as Probe
}

async function grayFrame(path: string, seconds: number): Promise<Buffer> {
  return run(FFMPEG, ['-v', 'error', '-ss', String(seconds), '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'])
}

async function truthOf(clip: GeneratedClip): Promise<Float32Grid> {
  return decodeNpy(await readFile(clip.truthPath))
}

const inside = (box: Box, x: number, y: number, margin = 0): boolean =>
  x >= box.x0 - margin && x < box.x1 + margin && y >= box.y0 - margin && y < box.y1 + margin

function meanIn(grid: Float32Grid, box: Box): number {
  let sum = 0
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) sum += grid.data[y * grid.width + x]
  return sum / ((box.x1 - box.x0) * (box.y1 - box.y0))
}

function argmax(grid: Float32Grid): { x: number; y: number; value: number } {
  let best = 0
  for (let i = 1; i < grid.data.length; i++) if (grid.data[i] > grid.data[best]) best = i
  return { x: best % grid.width, y: Math.floor(best / grid.width), value: grid.data[best] }
}

/** Every box a person standing at a spot ever occupies in the clip, by spot. */
function standingBoxes(spec: ClipSpec): Map<number, Box[]> {
  const script = new FigureScript(spec)
  const boxes = new Map<number, Box[]>()
  for (let f = 0; f < script.frames; f++) {
    for (const figure of script.at(f)) {
      const box = figureBox(figure, spec.width, spec.height)
      if (figure.spot === null || !box) continue
      boxes.set(figure.spot, [...(boxes.get(figure.spot) ?? []), box])
    }
  }
  return boxes
}

describe('synthetic footage generator', () => {
  const spec = testClip()
  let dir: string
  let clip: GeneratedClip

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dwellmap-footage-'))
    clip = await generateClip(spec, join(dir, 'a'), FFMPEG)
  })

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('encodes H.264 at the right size, frame count and keyframe interval', async () => {
    const expectedFrames = spec.seconds * spec.fps
    expect(clip.frames).toBe(expectedFrames)
    const { streams, packets } = await probe(clip.videoPath)
    expect(streams[0]).toMatchObject({ codec_name: 'h264', width: spec.width, height: spec.height, pix_fmt: 'yuv420p' })
    expect(Math.abs(Number(streams[0].nb_read_packets) - expectedFrames)).toBeLessThanOrEqual(1)
    const keyframes = packets.filter((p) => p.flags.includes('K')).map((p) => Number(p.pts_time)).sort((a, b) => a - b)
    const expectedKeyframes = Array.from({ length: Math.ceil(spec.seconds / spec.gopSeconds) }, (_, i) => i * spec.gopSeconds)
    expect(keyframes).toHaveLength(expectedKeyframes.length)
    keyframes.forEach((t, i) => expect(t).toBeCloseTo(expectedKeyframes[i], 3))
  })

  it('writes ground truth of the right shape that peaks at a standing spot and is zero away from people', async () => {
    const truth = await truthOf(clip)
    expect([truth.width, truth.height]).toEqual([spec.width, spec.height])
    expect(truth.data.every((v) => v >= 0 && v <= 1)).toBe(true)

    const peak = argmax(truth)
    expect(peak.value).toBeGreaterThan(0.2)
    const spots = standingBoxes(spec)
    const peakSpots = [...spots].filter(([, boxes]) => boxes.some((b) => inside(b, peak.x, peak.y))).map(([spot]) => spot)
    expect(peakSpots.length).toBeGreaterThan(0)

    // Nobody's head reaches the top fifth of the picture (ceiling and top of the shelves).
    expect(truth.data.subarray(0, Math.floor(spec.height / 5) * spec.width).every((v) => v === 0)).toBe(true)
    // Nothing counts outside the places any person ever was.
    const script = new FigureScript(spec)
    const visited = new Uint8Array(spec.width * spec.height)
    for (let f = 0; f < script.frames; f++) {
      for (const figure of script.at(f)) {
        const box = figureBox(figure, spec.width, spec.height)
        if (!box) continue
        for (let y = Math.max(0, box.y0 - 2); y < Math.min(spec.height, box.y1 + 2); y++) {
          visited.fill(1, y * spec.width + Math.max(0, box.x0 - 2), y * spec.width + Math.min(spec.width, box.x1 + 2))
        }
      }
    }
    const away = truth.data.filter((_, i) => visited[i] === 0)
    expect(away.length).toBeGreaterThan(0.3 * truth.data.length)
    expect(away.every((v) => v === 0)).toBe(true)
  })

  it('is deterministic: the same spec gives the same truth and the same video bytes', async () => {
    const again = await generateClip(spec, join(dir, 'b'), FFMPEG)
    expect((await readFile(again.truthPath)).equals(await readFile(clip.truthPath))).toBe(true)
    expect((await readFile(again.videoPath)).equals(await readFile(clip.videoPath))).toBe(true)
  })

  it("puts the hot spot in a different place in the 'after' layout", async () => {
    const afterSpec = testClip({ name: 'test-after', layout: 'after' })
    const after = await generateClip(afterSpec, dir, FFMPEG)
    const [truthBefore, truthAfter] = [await truthOf(clip), await truthOf(after)]
    const promoBefore = standingBoxes(spec).get(0)?.[0]
    const promoAfter = standingBoxes(afterSpec).get(0)?.[0]
    if (!promoBefore || !promoAfter) throw new Error('both clips should have someone standing at the promotion')
    expect(meanIn(truthBefore, promoBefore)).toBeGreaterThan(5 * meanIn(truthAfter, promoBefore) + 0.05)
    expect(meanIn(truthAfter, promoAfter)).toBeGreaterThan(5 * meanIn(truthBefore, promoAfter) + 0.05)
    expect(argmax(truthBefore).x).toBeLessThan(spec.width / 2)
    expect(argmax(truthAfter).x).toBeGreaterThan(spec.width / 2)
  })

  it('shows a standing person in the video where the truth says, against the empty first frame', async () => {
    const script = new FigureScript(spec)
    const standsAt = (frame: number, visitor: number, spot: number): boolean =>
      script.at(frame).some((f) => f.visitor === visitor && f.spot === spot)
    // A frame well inside someone's standing time, with nobody else near them.
    let chosen: { frame: number; box: Box; others: Box[] } | null = null
    for (let frame = 0; frame < script.frames && !chosen; frame++) {
      const boxes = script.at(frame).map((f) => ({ figure: f, box: figureBox(f, spec.width, spec.height) }))
      for (const { figure, box } of boxes) {
        if (figure.spot === null || !box || !standsAt(frame - 5, figure.visitor, figure.spot) || !standsAt(frame + 5, figure.visitor, figure.spot)) continue
        const others = boxes.filter((b) => b.figure !== figure).flatMap((b) => (b.box ? [b.box] : []))
        const clear = others.every((o) => o.x1 + 4 <= box.x0 || box.x1 + 4 <= o.x0 || o.y1 + 4 <= box.y0 || box.y1 + 4 <= o.y0)
        if (clear) chosen = { frame, box, others }
      }
    }
    if (!chosen) throw new Error('the test clip should have someone standing alone')
    const { frame, box, others } = chosen

    const empty = await grayFrame(clip.videoPath, 0)
    const shown = await grayFrame(clip.videoPath, frame / spec.fps)
    expect(empty.length).toBe(spec.width * spec.height)
    let insideSum = 0
    let insideCount = 0
    let outsideSum = 0
    let outsideCount = 0
    for (let y = 0; y < spec.height; y++) {
      for (let x = 0; x < spec.width; x++) {
        const diff = Math.abs(shown[y * spec.width + x] - empty[y * spec.width + x])
        if (inside(box, x, y)) {
          insideSum += diff
          insideCount++
        } else if (!inside(box, x, y, 3) && !others.some((o) => inside(o, x, y, 3))) {
          outsideSum += diff
          outsideCount++
        }
      }
    }
    const insideMean = insideSum / insideCount
    const outsideMean = outsideSum / outsideCount
    expect(insideMean).toBeGreaterThan(20)
    expect(insideMean).toBeGreaterThan(8 * outsideMean)
  })

  it('fails with a clear error, and leaves no partial video, when ffmpeg cannot run or dies', async () => {
    const broken = testClip({ name: 'broken' })
    await expect(generateClip(broken, dir, join(dir, 'no-such-ffmpeg'))).rejects.toThrow(/ENOENT/)
    // /bin/false exits at once: the frames meet a broken pipe, and the exit status is reported.
    await expect(generateClip(broken, dir, '/bin/false')).rejects.toThrow(/ffmpeg failed \(exit code 1\)/)
    await expect(readFile(join(dir, 'broken.mp4.part'))).rejects.toThrow(/ENOENT/)
    await expect(readFile(join(dir, 'broken.mp4'))).rejects.toThrow(/ENOENT/)
  })
})
