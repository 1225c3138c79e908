// A project is one camera: named days, each a set of clips, and the zones drawn on the picture.
// Saved as project.json in the project's folder, with each day's results beside it.
//
// The saved objects are loose: fields this version does not know (written by a newer Dwellmap,
// or by hand) are read and written back as they are, never dropped by a save. What the renderer
// sends (zones, settings, the reference choice) is checked with the strict, stripping forms.
import { z } from 'zod'
import { KeptProbeSchema } from './video-info'

/** Ids are file-system safe slugs: they name folders. */
export const SlugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/)

export const ClipSchema = z.looseObject({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  fps: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  /** Wall-clock start, YYYY-MM-DDTHH:MM:SS (local, no zone). */
  startedAt: z.string().nullable(),
  startSource: z.enum(['metadata', 'file name', 'file time', 'given']).nullable(),
  /** Why this clip cannot be used (it stays listed so the owner sees it). */
  problem: z.string().nullable(),
  /** What probing the file found when it was added: the analysis and the empty-scene preview use
   *  it instead of probing again while the file is unchanged. Left out for unreadable files. */
  probe: KeptProbeSchema.loose().optional()
})
export type Clip = z.infer<typeof ClipSchema>

/**
 * True when the owner put clips whose own clocks can be trusted (metadata, file names) in an
 * order those clocks contradict, without setting a start: the analysis then keeps the owner's
 * order and plays the clips one after another from the first clip's start, so the page says so.
 */
export function orderAgainstClocks(clips: Clip[]): boolean {
  if (!clips[0]?.startedAt || clips.some((c) => c.startSource === 'given')) return false
  const trusted = clips.every((c) => c.startSource !== 'file time')
  const sorted = clips.every((c, i) => i === 0 || (c.startedAt ?? '') >= (clips[i - 1].startedAt ?? ''))
  return trusted && !sorted
}

/**
 * Why the mask cannot change now: an analysis reads it (one mask per project, so any of its days),
 * naming every day being analysed. The services refuse the change with it; the renderer shows it
 * beside the painter, which it disables meanwhile.
 */
export function maskRefusal(dayNames: string[]): string {
  if (dayNames.length === 1) return `Wait for the analysis of ${dayNames[0]} to finish or cancel it before changing the mask.`
  const names = `${dayNames.slice(0, -1).join(', ')} and ${dayNames.at(-1)}`
  return `Wait for the analyses of ${names} to finish or cancel them before changing the mask.`
}

/** What the owner chose as the empty scene: a moment of the day, or the automatic one. */
export const ReferenceChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('auto') }),
  /** Seconds from the start of the day's first clip, clips end to end. */
  z.object({ kind: z.literal('moment'), seconds: z.number().nonnegative() })
])
export type ReferenceChoice = z.infer<typeof ReferenceChoiceSchema>
/** The same as saved: loose, like every saved object (see the top of this file). */
const SavedReferenceChoiceSchema = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('auto') }),
  z.looseObject({ kind: z.literal('moment'), seconds: z.number().nonnegative() })
])

/** Settings in the owner's words; mapped to AnalysisSettings by the services. */
export const DaySettingsSchema = z.object({
  /** fast = keyframes/auto, detailed = more frames. */
  speed: z.enum(['fast', 'detailed']).default('fast'),
  /** How big a change counts as a person. */
  sensitivity: z.enum(['low', 'normal', 'high']).default('normal')
})
export type DaySettings = z.infer<typeof DaySettingsSchema>

export const AnalysisStateSchema = z.object({
  status: z.enum(['never', 'running', 'done', 'failed', 'cancelled', 'interrupted']),
  /** Set while running and after: last known progress (0..1). */
  fraction: z.number().min(0).max(1).nullable(),
  message: z.string().nullable(),
  finishedAt: z.string().nullable()
})
export type AnalysisState = z.infer<typeof AnalysisStateSchema>

/**
 * The day's last finished analysis. Its files stay until another analysis finishes (the engine
 * replaces them as a set), so it is kept apart from `analysis`, the state of the latest run: the
 * result can be shown while a newer analysis runs, and after one is cancelled or fails.
 */
export const LastResultSchema = z.looseObject({
  finishedAt: z.string().nullable(),
  /** How many clips it was given, and those it could not use, with why: its heatmap leaves them
   *  out. Unknown (absent) for a result finished by a version that did not record them. */
  clips: z.number().int().nonnegative().optional(),
  leftOut: z.array(z.looseObject({ path: z.string(), problem: z.string() })).optional()
})
export type LastResult = z.infer<typeof LastResultSchema>

export const DaySchema = z.looseObject({
  id: SlugSchema,
  name: z.string().min(1).max(80),
  clips: z.array(ClipSchema),
  reference: SavedReferenceChoiceSchema,
  settings: DaySettingsSchema.loose(),
  analysis: AnalysisStateSchema.loose(),
  /** Absent until an analysis finishes, and in days saved by versions that did not record it. */
  lastResult: LastResultSchema.optional()
})
export type Day = z.infer<typeof DaySchema>

/**
 * The day's result on disk, if any. A day finished by an older version has no `lastResult`: its
 * finished state stands for it (the services record it before a new run replaces that state).
 */
export function lastResultOf(day: Pick<Day, 'analysis' | 'lastResult'>): LastResult | null {
  if (day.lastResult) return day.lastResult
  return day.analysis.status === 'done' ? { finishedAt: day.analysis.finishedAt } : null
}

/** A polygon in analysis-grid fractions (0..1 of width and height), so it fits any grid. */
export const ZoneSchema = z.object({
  id: SlugSchema,
  name: z.string().min(1).max(60),
  points: z.array(z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)])).min(3).max(64)
})
export type Zone = z.infer<typeof ZoneSchema>

/** The project.json format this version reads and writes; a larger number is a newer format. */
export const PROJECT_FORMAT = 1

export const ProjectSchema = z.looseObject({
  dwellmapProject: z.literal(PROJECT_FORMAT),
  id: SlugSchema,
  name: z.string().min(1).max(80),
  days: z.array(DaySchema),
  zones: z.array(ZoneSchema.loose()),
  /** PNG data URL of the mask painted by the owner (white = ignore), or none. */
  mask: z.string().startsWith('data:image/png;base64,').nullable()
})
export type Project = z.infer<typeof ProjectSchema>

export const ProjectListItemSchema = z.object({
  id: SlugSchema,
  name: z.string(),
  days: z.number().int(),
  openedAt: z.string().nullable(),
  /** Set when the project cannot be opened: why, in plain words (damaged, or from a newer version). */
  unreadable: z.string().optional()
})
export type ProjectListItem = z.infer<typeof ProjectListItemSchema>

/**
 * What the owner sends in place of a saved object, with the saved fields this version does not
 * know. In the saved order: the same choice again must give the same JSON (the services compare
 * it to tell whether a finished day is out of date).
 */
function keepUnknown<T extends object>(saved: object | undefined, next: T, known: ReadonlySet<string>): T {
  if (!saved) return next
  const kept = Object.entries(saved).filter(([key]) => !known.has(key) || key in next)
  return Object.assign(Object.fromEntries(kept), next)
}

const ZONE_FIELDS = new Set(Object.keys(ZoneSchema.shape))
const SETTINGS_FIELDS = new Set(Object.keys(DaySettingsSchema.shape))
const REFERENCE_FIELDS = new Set(ReferenceChoiceSchema.options.flatMap((option) => Object.keys(option.shape)))

// What the renderer sends is stripped to the fields this version knows: set as it is, it would
// drop what a newer Dwellmap wrote in the saved object it replaces (see the top of this file).

/** The owner's zones; each keeps the unknown fields of the saved zone of the same id. */
export function replaceZones(saved: Zone[], next: Zone[]): Zone[] {
  return next.map((zone) => keepUnknown(saved.find((s) => s.id === zone.id), zone, ZONE_FIELDS))
}

export function replaceDaySettings(saved: DaySettings, next: DaySettings): DaySettings {
  return keepUnknown(saved, next, SETTINGS_FIELDS)
}

/** Another kind of choice keeps nothing: the saved fields described the choice it replaces. */
export function replaceReference(saved: ReferenceChoice, next: ReferenceChoice): ReferenceChoice {
  return keepUnknown(saved.kind === next.kind ? saved : undefined, next, REFERENCE_FIELDS)
}
