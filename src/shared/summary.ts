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
  /** Wall-clock start (local time, no zone) and where it came from. */
  startedAt: z.string().nullable(),
  startSource: z.enum(['metadata', 'file name', 'file time', 'given']).nullable(),
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
  /** Decode tasks (clips or clip segments) taken from a checkpoint of an earlier, stopped run. */
  resumedTasks: z.number().int().nonnegative().optional(),
  frames: z.object({
    sampled: z.number().int().nonnegative(),
    used: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative()
  }),
  /**
   * Occupancy: one entry per clock hour of the footage, matching the first axis of hours.npy
   * (counts of occupied frames per pixel); share for any hours = sum(counts) / sum(framesUsed).
   */
  hours: z.array(z.object({ start: z.string(), framesUsed: z.number().int().nonnegative(), meanShare: z.number() })),
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
    backgroundPng: z.string(),
    summaryJson: z.string(),
    hoursNpy: z.string().nullable(),
    reportHtml: z.string()
  })
})
export type Summary = z.infer<typeof SummarySchema>

export const RESULT_FILES = {
  heatmapNpy: 'heatmap.npy',
  heatmapPng: 'heatmap.png',
  backgroundPng: 'background.png',
  summaryJson: 'summary.json',
  hoursNpy: 'hours.npy',
  reportHtml: 'report.html'
} as const
