// Writes a synthetic clip and its ground truth: renders every frame, pipes it to ffmpeg, and
// counts the people's pixels on the way.
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { assertValidSpec, gopFrames, type ClipSpec } from './clip-spec'
import { Mp4Encoder } from './encoder'
import { FrameRenderer } from './frame-renderer'
import { TruthAccumulator, writeTruth } from './ground-truth'

export interface GeneratedClip {
  videoPath: string
  truthPath: string
  frames: number
}

export async function generateClip(spec: ClipSpec, outDir: string, ffmpegPath: string): Promise<GeneratedClip> {
  assertValidSpec(spec)
  await mkdir(outDir, { recursive: true })
  const videoPath = join(outDir, `${spec.name}.mp4`)
  const truthPath = join(outDir, `${spec.name}_truth.npy`)
  // Encode under a temporary name so that nobody picks up a half-written clip.
  const partPath = `${videoPath}.part`
  const renderer = new FrameRenderer(spec)
  const truth = new TruthAccumulator(spec.width, spec.height)
  const frames = renderer.script.frames
  const encoder = new Mp4Encoder({
    ffmpegPath,
    outPath: partPath,
    width: spec.width,
    height: spec.height,
    fps: spec.fps,
    gopFrames: gopFrames(spec),
    preset: spec.preset,
    crf: spec.crf,
    threads: spec.threads,
    noise: spec.noise,
    noiseSeed: spec.seed & 0x7fffffff
  })
  // Two buffers: ffmpeg drains one while the next frame is rendered into the other. Waiting for
  // each write before reusing its buffer is also the backpressure: at most two frames in flight.
  const buffers = [Buffer.alloc(renderer.frameBytes), Buffer.alloc(renderer.frameBytes)]
  try {
    let pending = Promise.resolve()
    for (let i = 0; i < frames; i++) {
      const buffer = buffers[i % 2]
      truth.add(renderer.render(i, buffer))
      await pending
      pending = encoder.write(buffer)
    }
    await pending
    await encoder.finish()
  } catch (err) {
    encoder.kill()
    await rm(partPath, { force: true })
    throw err
  }
  await rename(partPath, videoPath)
  await writeTruth(truthPath, truth.toGrid())
  return { videoPath, truthPath, frames }
}
