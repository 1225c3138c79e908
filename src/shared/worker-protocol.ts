// Messages between an analysis host (CLI, browser host, Electron main) and the analysis worker.
// Checked at runtime on both sides: they cross a process border.
import { z } from 'zod'
import { AnalysisSettingsSchema } from './settings'
import { SummarySchema } from './summary'
import { KeptProbeSchema, KeyframeIndexSchema } from './video-info'
import { WallClockSchema } from './wall-clock'

export const AnalysisJobSchema = z.object({
  inputs: z.array(z.string().min(1)).min(1),
  outDir: z.string().min(1),
  settings: AnalysisSettingsSchema,
  ffmpegPath: z.string().min(1),
  ffprobePath: z.string().min(1),
  /** Wall-clock start of the first clip (YYYY-MM-DDTHH:MM:SS, local), overriding what the files say:
   *  the clips play back to back in the order of `inputs` (the app's order against the clocks). */
  start: WallClockSchema.optional(),
  /** The CLI's --start: the whole day moves so that its first clip starts here, its gaps kept
   *  (clips with no clock of their own follow the one before them end to end). */
  dayStart: WallClockSchema.optional(),
  /**
   * Per-input starts set by the owner, aligned with `inputs` (null: what the file says). When
   * given, the clips keep the order of `inputs`: the host has already put the day in order.
   */
  starts: z.array(WallClockSchema.nullable()).optional(),
  /** Force the TypeScript kernel (tests, or when the native addon misbehaves). */
  kernel: z.enum(['auto', 'opencv', 'typescript']).default('auto'),
  /**
   * What the host already knows of the inputs (aligned with `inputs`, null: not probed yet). A
   * clip whose size and modification time still match is not probed again.
   */
  probes: z.array(KeptProbeSchema.nullable()).optional(),
  /**
   * The keyframes of inputs the host read from their MP4 index (aligned with `inputs`), each with
   * its probe: used while the probe stands for the file, so the worker need not read the index.
   */
  indexes: z.array(KeyframeIndexSchema.nullable()).optional()
}).refine((job) => job.starts === undefined || job.starts.length === job.inputs.length, {
  message: 'starts must have one entry per input', path: ['starts']
}).refine((job) => job.probes === undefined || job.probes.every((p, i) => p === null || p.path === job.inputs[i]), {
  message: 'probes must have one entry per input, for that input', path: ['probes']
}).refine((job) => job.probes === undefined || job.probes.length === job.inputs.length, {
  message: 'probes must have one entry per input', path: ['probes']
}).refine((job) => job.indexes === undefined || (job.indexes.length === job.inputs.length && job.indexes.every((x, i) => x === null || !!job.probes?.[i])), {
  message: 'indexes must have one entry per input, each with the probe of that input', path: ['indexes']
})
export type AnalysisJob = z.infer<typeof AnalysisJobSchema>

export const HostToWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), job: AnalysisJobSchema }),
  z.object({ type: z.literal('cancel') })
])
export type HostToWorker = z.infer<typeof HostToWorkerSchema>

export const ProgressSchema = z.object({
  framesDone: z.number().int().nonnegative(),
  framesTotal: z.number().int().nonnegative().nullable(),
  fps: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
  stage: z.enum(['probing', 'reference', 'accumulating', 'writing']),
  /** While probing: how many of the day's files have been read (a day can be a thousand clips). */
  files: z.object({ done: z.number().int().nonnegative(), total: z.number().int().positive() }).optional()
})
export type Progress = z.infer<typeof ProgressSchema>

export const ProblemSchema = z.object({ file: z.string().nullable(), message: z.string() })
export type Problem = z.infer<typeof ProblemSchema>

export const WorkerToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), progress: ProgressSchema }),
  z.object({ type: z.literal('warning'), problem: ProblemSchema }),
  z.object({ type: z.literal('done'), summary: SummarySchema }),
  z.object({ type: z.literal('error'), problem: ProblemSchema }),
  z.object({ type: z.literal('cancelled') })
])
export type WorkerToHost = z.infer<typeof WorkerToHostSchema>
