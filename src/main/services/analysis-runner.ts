// Runs a day's analysis in the worker process: maps the day (clips, reference, the owner's
// settings, the project's mask) to an AnalysisJob, runs one analysis per day at a time, streams
// progress as events and keeps the day's analysis state in project.json, so that a closed app
// can tell on its next start which days were left half done.
import { INTERRUPTED_NOTE } from '../../shared/day-notes'
import { AnalysisCancelled, runJob, type WorkerLauncher } from '../analysis/host'
import type { AppEvent } from '../../shared/app-api'
import { lastResultOf, orderAgainstClocks, type Clip, type Day, type LastResult, type Project } from '../../shared/project'
import { OCCUPANCY_DEFAULTS, defaultSettings, type AnalysisSettings, type Reference } from '../../shared/settings'
import type { Summary } from '../../shared/summary'
import type { AnalysisJob, Progress } from '../../shared/worker-protocol'
import { AppError, errorMessage } from './app-error'
import { dayTimeline, locate, usableClips } from './day-timeline'
import { findDay, type ProjectsStore } from './projects-store'
import { writeFileAtomic } from '../runtime/atomic-write'

/** Sensitivity as a factor on the default threshold: a higher sensitivity counts smaller changes. */
export const SENSITIVITY_FACTORS = { low: 1.5, normal: 1, high: 0.65 } as const

/** The owner's words (speed, sensitivity) as analysis settings; the reference is set by the job. */
export function analysisSettings(day: Day): AnalysisSettings {
  const settings = defaultSettings('occupancy')
  if (day.settings.speed === 'detailed') {
    settings.sample = { kind: 'every', n: 2 }
    settings.width = 640
  }
  settings.threshold = Math.round(OCCUPANCY_DEFAULTS.threshold * SENSITIVITY_FACTORS[day.settings.sensitivity])
  return settings
}

/** A moment of the day becomes a time on the clips end to end, kept inside the clip holding it. */
export function analysisReference(day: Day): Reference {
  if (day.reference.kind === 'auto') return { kind: 'auto' }
  const timeline = dayTimeline(day.clips)
  const at = locate(timeline, day.reference.seconds, day.name)
  const entry = timeline.entries.find((e) => e.clip === at.clip)!
  return { kind: 'time', seconds: entry.from + at.clipSeconds }
}

/** Seconds included: the engine's clock format. */
function fullStamp(start: string): string {
  return start.length === 16 ? start + ':00' : start
}

/**
 * The start to give the engine, if any. The engine orders clips by their own clocks when all of
 * them are trustworthy (metadata, file names); an order the owner chose against those clocks is
 * only kept by passing the first clip's start, which places the clips back to back in our order.
 * Starts the owner set are passed per clip instead (`jobStarts`).
 */
export function jobStart(clips: Clip[]): string | undefined {
  return orderAgainstClocks(clips) ? fullStamp(clips[0].startedAt!) : undefined
}

/** The starts the owner set, aligned with the clips (the engine then keeps our order), or none. */
export function jobStarts(clips: Clip[]): Array<string | null> | undefined {
  const starts = clips.map((c) => (c.startSource === 'given' && c.startedAt ? fullStamp(c.startedAt) : null))
  return starts.some((s) => s !== null) ? starts : undefined
}

export function jobForDay(day: Day, paths: { outDir: string; maskPath: string | null }, tools: { ffmpeg: string; ffprobe: string }): AnalysisJob {
  const clips = usableClips(day.clips)
  if (clips.length === 0) throw new AppError('invalid', `${day.name} has no usable clips; add footage before analysing it.`)
  const settings: AnalysisSettings = { ...analysisSettings(day), reference: analysisReference(day) }
  if (paths.maskPath) settings.mask = paths.maskPath
  const start = jobStart(clips)
  const starts = jobStarts(clips)
  return {
    inputs: clips.map((c) => c.path),
    outDir: paths.outDir,
    settings,
    ffmpegPath: tools.ffmpeg,
    ffprobePath: tools.ffprobe,
    kernel: 'auto',
    ...(start ? { start } : {}),
    ...(starts ? { starts } : {}),
    ...(clips.some((c) => c.probe) ? { probes: clips.map((c) => c.probe ?? null) } : {})
  }
}

/** What the day keeps of a finished analysis: when, and the clips its heatmap leaves out. */
export function recordedResult(summary: Summary, finishedAt: string): LastResult {
  const leftOut = summary.inputs.filter((input) => input.status === 'rejected').map((input) => ({ path: input.path, problem: input.problem ?? 'could not be used' }))
  return { finishedAt, clips: summary.inputs.length, leftOut }
}

export function progressFraction(progress: Progress): number | null {
  if (progress.stage === 'writing') return 1
  if (!progress.framesTotal) return null
  return Math.min(1, progress.framesDone / progress.framesTotal)
}

interface Running {
  controller: AbortController
  /** Why it is being stopped: the owner cancelled, or the app is closing. */
  stopReason: 'cancel' | 'quit' | null
  done: Promise<void>
}

/** How often a running analysis's progress is saved to project.json. */
const PERSIST_EVERY_MS = 2000


export class AnalysisRunner {
  private readonly running = new Map<string, Running>()

  constructor(
    private readonly deps: {
      store: ProjectsStore
      launchWorker: WorkerLauncher
      ffmpeg: string
      ffprobe: string
      emit(event: AppEvent): void
    }
  ) {}

  isRunning(projectId: string, dayId: string): boolean {
    return this.running.has(key(projectId, dayId))
  }

  runningDays(projectId: string): string[] {
    return [...this.running.keys()].filter((k) => k.startsWith(projectId + '/')).map((k) => k.slice(projectId.length + 1))
  }

  /** Starts the day's analysis (a no-op when it is already running) and returns the project. */
  async start(projectId: string, dayId: string): Promise<Project> {
    const id = key(projectId, dayId)
    if (this.running.has(id)) return this.deps.store.read(projectId)
    const { store } = this.deps
    const controller = new AbortController()
    const entry: Running = { controller, stopReason: null, done: Promise.resolve() }
    // Claimed before the first await: a double click starts one analysis, not two.
    this.running.set(id, entry)
    let job: AnalysisJob
    let project: Project
    try {
      project = await store.update(projectId, async (p) => {
        const day = findDay(p, dayId)
        const maskPath = p.mask ? store.maskPath(projectId) : null
        if (p.mask && maskPath) await writeFileAtomic(maskPath, Buffer.from(p.mask.slice(p.mask.indexOf(',') + 1), 'base64'))
        job = jobForDay(day, { outDir: store.resultDir(projectId, dayId), maskPath }, this.deps)
        // The finished state is about to be replaced: a result from before lastResult was
        // recorded is known by it alone.
        const kept = lastResultOf(day)
        if (kept) day.lastResult = kept
        // A run stopped part-way resumes from its checkpoint: say what is done until the worker
        // reports (it counts the resumed frames), rather than 0 % and then a jump.
        const resumes = day.analysis.status === 'cancelled' || day.analysis.status === 'interrupted' || day.analysis.status === 'failed'
        day.analysis = { status: 'running', fraction: resumes ? (day.analysis.fraction ?? 0) : 0, message: null, finishedAt: null }
      })
    } catch (error) {
      this.running.delete(id)
      throw error
    }
    this.deps.emit({ type: 'analysis', projectId, dayId, status: 'running', message: null })
    entry.done = this.run(projectId, dayId, job!, entry).finally(() => this.running.delete(id))
    return project
  }

  /** Stops the day's analysis and waits until its state is saved as cancelled. */
  async cancel(projectId: string, dayId: string): Promise<void> {
    const entry = this.running.get(key(projectId, dayId))
    if (!entry) return
    entry.stopReason ??= 'cancel'
    entry.controller.abort()
    await entry.done
  }

  /** Stops every analysis as the app closes; they are saved as interrupted, to be resumed later. */
  async dispose(): Promise<void> {
    const all = [...this.running.values()]
    for (const entry of all) {
      entry.stopReason ??= 'quit'
      entry.controller.abort()
    }
    await Promise.all(all.map((e) => e.done))
  }

  /** Days a previous run of the app left 'running' were interrupted: say so. */
  async markInterrupted(): Promise<void> {
    const { store } = this.deps
    for (const projectId of await store.ids()) {
      const project = await store.read(projectId).catch(() => null)
      if (!project?.days.some((d) => d.analysis.status === 'running' && !this.isRunning(projectId, d.id))) continue
      await store.update(projectId, (p) => {
        for (const day of p.days) {
          if (day.analysis.status === 'running' && !this.isRunning(projectId, day.id)) {
            day.analysis = { ...day.analysis, status: 'interrupted', message: INTERRUPTED_NOTE }
          }
        }
      }).catch(() => undefined)
    }
  }

  private async run(projectId: string, dayId: string, job: AnalysisJob, entry: Running): Promise<void> {
    const { store, emit } = this.deps
    const warnings: string[] = []
    let lastSaved = Date.now()
    const onProgress = (progress: Progress): void => {
      emit({ type: 'progress', projectId, dayId, progress })
      const fraction = progressFraction(progress)
      if (fraction === null || Date.now() - lastSaved < PERSIST_EVERY_MS) return
      lastSaved = Date.now()
      void store.update(projectId, (p) => {
        const day = p.days.find((d) => d.id === dayId)
        if (day?.analysis.status === 'running') day.analysis.fraction = fraction
      }).catch(() => undefined)
    }
    let status: 'done' | 'failed' | 'cancelled' | 'interrupted'
    let message: string | null
    let summary: Summary | null = null
    try {
      summary = await runJob(this.deps.launchWorker, job, {
        onProgress,
        onWarning: (problem) => warnings.push(problem.file ? `${problem.file}: ${problem.message}` : problem.message),
        signal: entry.controller.signal
      })
      status = 'done'
      message = warnings.length === 0 ? null : `Finished with ${warnings.length === 1 ? 'a warning' : `${warnings.length} warnings`}: ${warnings.join('; ')}`.slice(0, 2000)
    } catch (error) {
      if (entry.stopReason === 'quit') {
        status = 'interrupted'
        message = INTERRUPTED_NOTE
      } else if (error instanceof AnalysisCancelled || entry.stopReason === 'cancel') {
        status = 'cancelled'
        message = null
      } else {
        status = 'failed'
        message = errorMessage(error)
      }
    }
    const finishedAt = new Date().toISOString()
    await store.update(projectId, (p) => {
      const day = p.days.find((d) => d.id === dayId)
      if (!day) return
      const fraction = status === 'done' ? 1 : day.analysis.fraction
      day.analysis = { status, fraction, message, finishedAt: status === 'interrupted' ? null : finishedAt }
      // Only a finished analysis replaces the result files; any other end leaves the last ones.
      if (summary) day.lastResult = recordedResult(summary, finishedAt)
    }).catch((error: unknown) => console.error(`saving the analysis state of ${projectId}/${dayId} failed:`, error))
    if (status !== 'interrupted') emit({ type: 'analysis', projectId, dayId, status, message })
  }
}

function key(projectId: string, dayId: string): string {
  return `${projectId}/${dayId}`
}
