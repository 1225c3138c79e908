// Analysis settings: the one vocabulary shared by the CLI, the worker, the hosts and the renderer.
import { z } from 'zod'

export const MethodSchema = z.enum(['seed', 'occupancy'])
export type Method = z.infer<typeof MethodSchema>

export const ReferenceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('frame'), index: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('time'), seconds: z.number().nonnegative() }),
  z.object({ kind: z.literal('image'), path: z.string().min(1) })
])
export type Reference = z.infer<typeof ReferenceSchema>

export const SampleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  z.object({ kind: z.literal('every'), n: z.number().int().positive() }),
  z.object({ kind: z.literal('fps'), fps: z.number().positive() }),
  z.object({ kind: z.literal('keyframes') })
])
export type Sample = z.infer<typeof SampleSchema>

export const AnalysisSettingsSchema = z.object({
  method: MethodSchema,
  reference: ReferenceSchema,
  sample: SampleSchema,
  /** Width of the analysis grid in pixels, or the footage's own width. */
  width: z.union([z.number().int().min(16).max(8192), z.literal('native')]),
  /** Box blur size in pixels at the analysis width (odd). */
  blur: z.number().int().positive(),
  /** Grey-level difference (0..255) above which a pixel counts as occupied (occupancy only). */
  threshold: z.number().min(0).max(255),
  /** Optional mask image: white = ignore. */
  mask: z.string().min(1).optional()
})
export type AnalysisSettings = z.infer<typeof AnalysisSettingsSchema>

/** The article's pipeline: every 5th frame, 11x11 box blur, native resolution, first frame as reference. */
export const SEED_DEFAULTS: AnalysisSettings = {
  method: 'seed',
  reference: { kind: 'frame', index: 0 },
  sample: { kind: 'every', n: 5 },
  width: 'native',
  blur: 11,
  threshold: 0
}

export const OCCUPANCY_DEFAULTS: AnalysisSettings = {
  method: 'occupancy',
  reference: { kind: 'auto' },
  sample: { kind: 'auto' },
  width: 640,
  blur: 5,
  threshold: 20
}

export function defaultSettings(method: Method): AnalysisSettings {
  return structuredClone(method === 'seed' ? SEED_DEFAULTS : OCCUPANCY_DEFAULTS)
}

/** Parses the CLI spelling of a reference: auto | frame:N | time:SECONDS | path to an image. */
export function parseReference(text: string): Reference {
  if (text === 'auto') return { kind: 'auto' }
  const frame = /^frame:(\d+)$/.exec(text)
  if (frame) return { kind: 'frame', index: Number(frame[1]) }
  const time = /^time:(\d+(?:\.\d+)?)$/.exec(text)
  if (time) return { kind: 'time', seconds: Number(time[1]) }
  if (/^(frame|time):/.test(text)) throw new Error(`invalid reference "${text}": use frame:N or time:SECONDS`)
  return { kind: 'image', path: text }
}

/** Parses the CLI spelling of sampling: auto | every:N | fps:X | keyframes. */
export function parseSample(text: string): Sample {
  if (text === 'auto') return { kind: 'auto' }
  if (text === 'keyframes') return { kind: 'keyframes' }
  const every = /^every:(\d+)$/.exec(text)
  if (every && Number(every[1]) > 0) return { kind: 'every', n: Number(every[1]) }
  const fps = /^fps:(\d+(?:\.\d+)?)$/.exec(text)
  if (fps && Number(fps[1]) > 0) return { kind: 'fps', fps: Number(fps[1]) }
  throw new Error(`invalid sampling "${text}": use auto, every:N, fps:X or keyframes`)
}

export function describeReference(ref: Reference): string {
  switch (ref.kind) {
    case 'auto': return 'auto'
    case 'frame': return `frame:${ref.index}`
    case 'time': return `time:${ref.seconds}`
    case 'image': return ref.path
  }
}

export function describeSample(sample: Sample): string {
  switch (sample.kind) {
    case 'auto': return 'auto'
    case 'every': return `every:${sample.n}`
    case 'fps': return `fps:${sample.fps}`
    case 'keyframes': return 'keyframes'
  }
}
