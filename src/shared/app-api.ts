// The whole app's API as one table: each method's argument tuple and result, as runtime schemas.
// The Electron IPC handler and the browser host both dispatch through this table, so every
// payload crossing a process is validated the same way; the renderer's clients are generic.
import { z } from 'zod'
import { DisplayGridSchema, ResultListItemSchema, ResultViewSchema, ResultIdSchema } from './api'
import { ProgressSchema } from './worker-protocol'
import { WallClockSchema } from './wall-clock'
import { DaySettingsSchema, ProjectListItemSchema, ProjectSchema, ReferenceChoiceSchema, SlugSchema, ZoneSchema } from './project'

const ProjectId = SlugSchema
const DayId = SlugSchema
const Name = z.string().trim().min(1).max(80)
const Path = z.string().min(1).max(4096)
const PngDataUrl = z.string().startsWith('data:image/png;base64,')
const ImageDataUrl = z.string().regex(/^data:image\/(png|jpeg);base64,/)

export const BrowseEntrySchema = z.object({ name: z.string(), path: z.string(), kind: z.enum(['dir', 'video', 'other']) })
export const BrowseResultSchema = z.object({ dir: z.string(), parent: z.string().nullable(), entries: z.array(BrowseEntrySchema) })

export const FrameViewSchema = z.object({
  dataUrl: ImageDataUrl,
  /** The moment shown, on the day's timeline, and where it is in which clip. */
  seconds: z.number(),
  clipPath: z.string(),
  clipSeconds: z.number(),
  clock: z.string().nullable()
})
export type FrameView = z.infer<typeof FrameViewSchema>

/**
 * Clock hours from `fromHour` up to (not including) `toHour`. A start after the end wraps past
 * midnight (22 to 2: the night's footage); equal hours would be no window at all.
 */
export const TimeWindowSchema = z.object({ fromHour: z.number().int().min(0).max(23), toHour: z.number().int().min(1).max(24) }).refine((w) => w.fromHour !== w.toHour, 'fromHour and toHour must differ')
export type TimeWindow = z.infer<typeof TimeWindowSchema>

/** Is a clock hour (0-23) in the window (null: the whole day)? The one rule for the app and its renderer. */
export function hourInTimeWindow(hour: number, window: TimeWindow | null): boolean {
  if (!window) return true
  const { fromHour: from, toHour: to } = window
  return from < to ? hour >= from && hour < to : hour >= from || hour < to
}

export const ZoneFigureSchema = z.object({ zoneId: z.string(), name: z.string(), share: z.number(), byHour: z.array(z.object({ hour: z.string(), share: z.number() })) })
export type ZoneFigure = z.infer<typeof ZoneFigureSchema>

export const DayResultSchema = z.object({
  view: ResultViewSchema,
  /** Per clock hour: mean share of the picture occupied, for the activity chart. */
  hours: z.array(z.object({ start: z.string(), framesUsed: z.number(), meanShare: z.number() })),
  window: TimeWindowSchema.nullable(),
  zones: z.array(ZoneFigureSchema)
})
export type DayResult = z.infer<typeof DayResultSchema>

export const CompareViewSchema = z.object({
  a: DayResultSchema,
  b: DayResultSchema,
  difference: DisplayGridSchema,
  /** One colour scale for both days (same unit as the grids). */
  sharedMax: z.number(),
  zones: z.array(z.object({ zoneId: z.string(), name: z.string(), a: z.number(), b: z.number(), change: z.number() }))
})
export type CompareView = z.infer<typeof CompareViewSchema>

export const ExportKindSchema = z.enum(['heatmap-png', 'grid-csv', 'zones-csv', 'heatmap-npy', 'report-html'])
export type ExportKind = z.infer<typeof ExportKindSchema>
export const ExportFileSchema = z.object({ fileName: z.string(), mime: z.string(), base64: z.string() })
export type ExportFile = z.infer<typeof ExportFileSchema>

/** Paths per addClips request: a day of more files (600 one-minute clips) is sent in batches. */
export const ADD_CLIPS_MAX = 500

function method<A extends z.ZodTuple, R extends z.ZodType>(args: A, result: R) {
  return { args, result }
}

const FrameWidth = z.number().int().min(64).max(1920)

/** Width of the timeline's large preview: the renderer asks for it, and the app prepares it. */
export const PREVIEW_WIDTH = 960

export const APP_API = {
  // Results written by the CLI (dwellmap analyze) into the results folder.
  listResults: method(z.tuple([]), z.array(ResultListItemSchema)),
  getResult: method(z.tuple([ResultIdSchema]), ResultViewSchema),
  // Projects and days.
  listProjects: method(z.tuple([]), z.array(ProjectListItemSchema)),
  createProject: method(z.tuple([Name]), ProjectSchema),
  openProject: method(z.tuple([ProjectId]), ProjectSchema),
  addDay: method(z.tuple([ProjectId, Name]), ProjectSchema),
  renameDay: method(z.tuple([ProjectId, DayId, Name]), ProjectSchema),
  removeDay: method(z.tuple([ProjectId, DayId]), ProjectSchema),
  /** Files or folders (every video inside a folder); unreadable ones are listed with their problem. */
  addClips: method(z.tuple([ProjectId, DayId, z.array(Path).min(1).max(ADD_CLIPS_MAX)]), ProjectSchema),
  removeClip: method(z.tuple([ProjectId, DayId, Path]), ProjectSchema),
  moveClip: method(z.tuple([ProjectId, DayId, Path, z.number().int().nonnegative()]), ProjectSchema),
  setClipStart: method(z.tuple([ProjectId, DayId, Path, WallClockSchema]), ProjectSchema),
  /** Server-side folder listing: the browser host's file picker (a browser cannot give paths). */
  browse: method(z.tuple([Path.optional()]), BrowseResultSchema),
  // Timeline and reference.
  frame: method(z.tuple([ProjectId, DayId, z.number().nonnegative(), FrameWidth]), FrameViewSchema),
  /**
   * Gets previews of the day at this width ready ahead of the first request (starts a waiting
   * ffmpeg): called when a day opens, so that the timeline's first preview is quick.
   */
  prepareFrames: method(z.tuple([ProjectId, DayId, FrameWidth]), z.null()),
  setReference: method(z.tuple([ProjectId, DayId, ReferenceChoiceSchema]), ProjectSchema),
  background: method(z.tuple([ProjectId, DayId]), FrameViewSchema.pick({ dataUrl: true })),
  /** The frame at `seconds` with what would count as people painted on it. */
  differencePreview: method(z.tuple([ProjectId, DayId, z.number().nonnegative()]), FrameViewSchema),
  setDaySettings: method(z.tuple([ProjectId, DayId, DaySettingsSchema]), ProjectSchema),
  setMask: method(z.tuple([ProjectId, PngDataUrl.nullable()]), ProjectSchema),
  setZones: method(z.tuple([ProjectId, z.array(ZoneSchema).max(50)]), ProjectSchema),
  // Analysis.
  startAnalysis: method(z.tuple([ProjectId, DayId]), ProjectSchema),
  cancelAnalysis: method(z.tuple([ProjectId, DayId]), ProjectSchema),
  dayResult: method(z.tuple([ProjectId, DayId, TimeWindowSchema.nullable()]), DayResultSchema),
  compareDays: method(z.tuple([ProjectId, DayId, DayId, TimeWindowSchema.nullable()]), CompareViewSchema),
  /** The CSVs and the NPY follow the time window (null: the whole day); the other files are the whole day's. */
  exportFile: method(z.tuple([ProjectId, DayId, ExportKindSchema, TimeWindowSchema.nullable()]), ExportFileSchema)
} as const

export type AppApiTable = typeof APP_API
export type AppMethod = keyof AppApiTable
export type AppArgs<M extends AppMethod> = z.infer<AppApiTable[M]['args']>
export type AppResult<M extends AppMethod> = z.infer<AppApiTable[M]['result']>

/** The API as the renderer calls it, and as the services implement it. */
export type AppApi = { [M in AppMethod]: (...args: AppArgs<M>) => Promise<AppResult<M>> }

/** Pushed from the app to the renderer while analyses run. */
export const AppEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), projectId: z.string(), dayId: z.string(), progress: ProgressSchema }),
  z.object({ type: z.literal('analysis'), projectId: z.string(), dayId: z.string(), status: z.enum(['running', 'done', 'failed', 'cancelled']), message: z.string().nullable() })
])
export type AppEvent = z.infer<typeof AppEventSchema>

export function isAppMethod(name: string): name is AppMethod {
  return Object.hasOwn(APP_API, name)
}

/** Validates a call's arguments; throws a plain message naming the method on bad input. */
export function parseArgs<M extends AppMethod>(name: M, args: unknown): AppArgs<M> {
  const parsed = APP_API[name].args.safeParse(args)
  if (!parsed.success) throw new Error(`invalid arguments for ${name}: ${parsed.error.issues[0]?.message ?? 'bad payload'}`)
  return parsed.data as AppArgs<M>
}

/** What a native open dialog picks: video files, or folders (their videos join the day). */
export const PickKindSchema = z.enum(['files', 'folder'])
export type PickKind = z.infer<typeof PickKindSchema>
/** The paths a native dialog gave (none when cancelled); checked again where they cross a process. */
/** A day of one-minute clips is 1440 files: picked one by one, they come back in one list. */
export const MAX_PICKED_PATHS = 20_000
export const PickedPathsSchema = z.array(Path).max(MAX_PICKED_PATHS)

/**
 * What the Electron preload exposes as `window.dwellmap` (the browser host has no bridge; its
 * client speaks HTTP). `call` goes through the one IPC channel; the main process validates the
 * arguments and the result against APP_API. `onEvent` returns a function that unsubscribes.
 * `pathForFile` gives the path of a file dropped on the window (Electron's webUtils), for addClips;
 * `pickPaths` opens the system's own file or folder dialog and gives what was picked.
 */
export interface DwellmapBridge {
  call<M extends AppMethod>(method: M, ...args: AppArgs<M>): Promise<AppResult<M>>
  onEvent(listener: (event: AppEvent) => void): () => void
  pathForFile(file: File): string
  pickPaths(kind: PickKind): Promise<string[]>
}
