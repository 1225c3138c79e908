// `dwellmap generate`: synthetic footage with ground truth, for demos, tests and benchmarks.
import { resolve } from 'node:path'
import { benchClip, DEMO_DAYS, generateClip, testClip, type ClipSpec } from '../footage'
import { locateFfmpeg } from '../media/ffmpeg-locator'

export type Preset = 'demo' | 'test' | 'bench'

export function presetClips(preset: Preset, seconds: number): ClipSpec[] {
  if (preset === 'demo') return DEMO_DAYS
  if (preset === 'test') return [testClip()]
  return [benchClip(seconds)]
}

export async function generate(out: string, preset: Preset, seconds: number): Promise<string[]> {
  const { ffmpeg } = locateFfmpeg(process.env.FFMPEG_PATH)
  const written: string[] = []
  for (const spec of presetClips(preset, seconds)) {
    const clip = await generateClip(spec, resolve(out), ffmpeg)
    process.stdout.write(`wrote ${clip.videoPath} (${clip.frames} frames) and ${clip.truthPath}\n`)
    written.push(clip.videoPath)
  }
  return written
}
