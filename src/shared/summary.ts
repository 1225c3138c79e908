// summary.json: what an analysis read, how, and what it found. Read back by the hosts and the renderer.
import { z } from 'zod'
import { AnalysisSettingsSchema } from './settings'

export const InputSummarySchema = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the first and last MiB and the size: cheap, and enough to tell files apart. */
  hash: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  durationSeconds: z.number().nonnegative().nullable(),
  fps: z.number().positive().nullable(),
  codec: z.string(),
  framesSampled: z.number().int().nonnegative(),
  status: z.enum(['analysed', 'rejected']),
  problem: z.string().optional()
})
export type InputSummary = z.infer<typeof InputSummarySchema>

export const SummarySchema = z.object({
  dwellmap: z.literal(1),
  createdAt: z.string(),
  inputs: z.array(InputSummarySchema),
  settings: AnalysisSettingsSchema,
  /** What `auto` choices resolved to. */
  resolved: z.object({
    sample: z.string(),
    reference: z.string()
  }),
  grid: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
  kernel: z.enum(['opencv', 'typescript']),
  frames: z.object({
    sampled: z.number().int().nonnegative(),
    used: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative()
  }),
  /** What one heatmap value means, in words, for people reading the file. */
  unit: z.string(),
  max: z.number(),
  timings: z.object({
    totalSeconds: z.number().nonnegative(),
    referenceSeconds: z.number().nonnegative(),
    accumulateSeconds: z.number().nonnegative()
  }),
  files: z.object({
    heatmapNpy: z.string(),
    heatmapPng: z.string(),
    referencePng: z.string(),
    summaryJson: z.string()
  })
})
export type Summary = z.infer<typeof SummarySchema>

export const RESULT_FILES = {
  heatmapNpy: 'heatmap.npy',
  heatmapPng: 'heatmap.png',
  referencePng: 'reference.png',
  summaryJson: 'summary.json'
} as const
