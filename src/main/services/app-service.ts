// The app's back end: AppApi (src/shared/app-api.ts) implemented over the small modules beside
// this file. No Electron here: the Electron shell, the browser host and the CLI all build it the
// same way and only differ in how they launch the analysis worker and where events go.
import { rm } from 'node:fs/promises'
import type { AppApi, AppEvent, FrameView } from '../../shared/app-api'
import { maskRefusal, replaceDaySettings, replaceReference, replaceZones, type Day, type Project } from '../../shared/project'
import type { WorkerLauncher } from '../analysis/host'
import { decodePngGray, PngTooLarge } from '../results/png'
import { REFERENCE_LOST_NOTE, splitNotes, STALE_NOTE } from '../../shared/day-notes'
import { AnalysisRunner } from './analysis-runner'
import { AppError } from './app-error'
import { browse } from './browse'
import { checkSizes, mergeClips, probeNewClips, sortByStart } from './clip-import'
import { compareDayResults, type ComparedDay } from './compare-view'
import { buildDayResult, ResultCache, resultId, shareGrid } from './day-results'
import { dayTimeline, frameAt, locate, momentOf } from './day-timeline'
import { exportFigures, exportFile } from './exports'
import { FrameService } from './frame-service'
import { findDay, ProjectsStore, slugify, uniqueSlug } from './projects-store'
import { decodeDataUrl, ReferencePreviews } from './reference-preview'
import { listResults, loadResultView } from './results'

export interface AppServiceOptions {
  projectsRoot: string
  /** Results written by `dwellmap analyze` (listResults/getResult). */
  resultsRoot: string
  ffmpeg: string
  ffprobe: string
  launchWorker: WorkerLauncher
  emit(event: AppEvent): void
}

export type AppService = AppApi & {
  /** Settles once start-up checks (interrupted analyses) are done; every call waits for it. */
  ready: Promise<void>
  /** Stops previews and analyses (saved as interrupted, to be resumed on the next start). */
  dispose(): Promise<void>
}

function newDay(id: string, name: string): Day {
  return {
    id,
    name,
    clips: [],
    reference: { kind: 'auto' },
    settings: { speed: 'fast', sensitivity: 'normal' },
    analysis: { status: 'never', fraction: null, message: null, finishedAt: null }
  }
}

/** What an analysis of the day depends on (zones do not: they are measured on the result). */
function analysedInputs(day: Day): string {
  return JSON.stringify([day.clips, day.reference, day.settings])
}

/**
 * Runs a change of the day's clips. A picked reference is kept as day seconds, which shift when
 * clips come, go or move, so it is followed by its clip and time in that clip; when that clip is
 * no longer analysed with the day, the reference goes back to automatic and a note is returned.
 */
function followPickedFrame(day: Day, change: (day: Day) => void): string | undefined {
  if (day.reference.kind === 'auto') {
    change(day)
    return undefined
  }
  const picked = frameAt(dayTimeline(day.clips), day.reference.seconds, day.name)
  change(day)
  const seconds = picked && momentOf(dayTimeline(day.clips), picked)
  if (seconds !== null) {
    day.reference = replaceReference(day.reference, { kind: 'moment', seconds })
    return undefined
  }
  day.reference = { kind: 'auto' }
  return REFERENCE_LOST_NOTE
}

/**
 * Leaves the owner a note in the day's message. A finished day keeps saying it is out of date;
 * a failed one keeps the reason it failed, which its page shows as the failure.
 */
function addNote(day: Day, note: string): void {
  const { status, message } = day.analysis
  if (status === 'failed') return
  day.analysis.message = status === 'done' && message ? `${note} ${message}` : note
}

/** The message without the note that the picked frame was lost (the owner has picked another). */
function withoutLostNote(message: string | null): string | null {
  if (message === null) return null
  return splitNotes(message).filter((note) => note !== REFERENCE_LOST_NOTE).join(' ') || null
}

function clipOf(day: Day, path: string): number {
  const index = day.clips.findIndex((c) => c.path === path)
  if (index < 0) throw new AppError('not-found', `${path} is not a clip of ${day.name}.`)
  return index
}

export function createAppService(options: AppServiceOptions): AppService {
  const store = new ProjectsStore(options.projectsRoot)
  const runner = new AnalysisRunner({ store, launchWorker: options.launchWorker, ffmpeg: options.ffmpeg, ffprobe: options.ffprobe, emit: options.emit })
  const frames = new FrameService(options.ffmpeg, { ffprobe: options.ffprobe })
  const previews = new ReferencePreviews(options.ffmpeg)
  const results = new ResultCache()
  const ready = runner.markInterrupted()
  ready.catch((error: unknown) => console.error('checking for interrupted analyses failed:', error))

  async function readDay(projectId: string, dayId: string): Promise<{ project: Project; day: Day }> {
    const project = await store.read(projectId)
    return { project, day: findDay(project, dayId) }
  }

  /**
   * Changes a day that is not being analysed; a finished result is flagged as out of date.
   * `change` may return a note for the owner, kept in the day's message.
   */
  function changeDay(projectId: string, dayId: string, change: (day: Day) => string | undefined | void): Promise<Project> {
    return store.update(projectId, (project) => {
      const day = findDay(project, dayId)
      if (runner.isRunning(projectId, dayId)) {
        throw new AppError('conflict', `${day.name} is being analysed; cancel the analysis before changing it.`)
      }
      const before = analysedInputs(day)
      const note = change(day)
      if (day.analysis.status === 'done' && analysedInputs(day) !== before) day.analysis.message = STALE_NOTE
      if (note) addNote(day, note)
    })
  }

  /** Changes the day's clips, keeping the empty-scene frame the owner picked (see followPickedFrame). */
  function changeClips(projectId: string, dayId: string, change: (day: Day) => void): Promise<Project> {
    return changeDay(projectId, dayId, (day) => followPickedFrame(day, change))
  }

  async function computeDay(projectId: string, dayId: string, window: Parameters<AppApi['dayResult']>[2]) {
    const { project, day } = await readDay(projectId, dayId)
    const loaded = await results.get(store.resultDir(projectId, dayId), day.name)
    const share = shareGrid(loaded, window, day.name)
    return { project, day, loaded, share, result: buildDayResult(resultId(projectId, dayId), loaded, share, project.zones, window) }
  }

  const api: AppApi = {
    listResults: () => listResults(options.resultsRoot),
    getResult: (id) => loadResultView(options.resultsRoot, id),

    listProjects: () => store.list(),
    async createProject(name) {
      const project = await store.create(name)
      await store.touch(project.id)
      return project
    },
    async openProject(id) {
      const project = await store.read(id)
      await store.touch(id)
      return project
    },
    addDay: (projectId, name) =>
      store.update(projectId, (project) => {
        const taken = new Set(project.days.map((d) => d.id))
        project.days.push(newDay(uniqueSlug(slugify(name, 'day'), (c) => taken.has(c)), name))
      }),
    renameDay: (projectId, dayId, name) =>
      store.update(projectId, (project) => {
        findDay(project, dayId).name = name
      }),
    async removeDay(projectId, dayId) {
      await readDay(projectId, dayId)
      await runner.cancel(projectId, dayId)
      const project = await store.update(projectId, (p) => {
        findDay(p, dayId)
        p.days = p.days.filter((d) => d.id !== dayId)
      })
      const dir = store.dayDir(projectId, dayId)
      previews.forget(dir)
      results.forget(store.resultDir(projectId, dayId))
      await rm(dir, { recursive: true, force: true })
      return project
    },

    async addClips(projectId, dayId, paths) {
      const { day } = await readDay(projectId, dayId)
      if (runner.isRunning(projectId, dayId)) throw new AppError('conflict', `${day.name} is being analysed; cancel the analysis before adding footage.`)
      // Probing takes a while: it runs outside the project's lock, the merge inside it.
      const added = await probeNewClips(options.ffprobe, day.clips, paths, day.name)
      return changeClips(projectId, dayId, (d) => {
        d.clips = mergeClips(d.clips, added)
      })
    },
    removeClip: (projectId, dayId, path) =>
      changeClips(projectId, dayId, (day) => {
        const index = clipOf(day, path)
        day.clips = checkSizes(day.clips.filter((_, i) => i !== index))
      }),
    moveClip: (projectId, dayId, path, to) =>
      changeClips(projectId, dayId, (day) => {
        const clips = [...day.clips]
        const [clip] = clips.splice(clipOf(day, path), 1)
        clips.splice(Math.min(to, clips.length), 0, clip)
        day.clips = checkSizes(clips)
      }),
    setClipStart: (projectId, dayId, path, start) =>
      changeClips(projectId, dayId, (day) => {
        const clip = day.clips[clipOf(day, path)]
        if (clip.width === 0) throw new AppError('invalid', `${path} cannot be read, so it has no place on the day's timeline.`)
        clip.startedAt = start.length === 16 ? `${start}:00` : start
        clip.startSource = 'given'
        day.clips = checkSizes(sortByStart(day.clips))
      }),
    browse: (dir) => browse(dir),

    async frame(projectId, dayId, seconds, width): Promise<FrameView> {
      const view = `${projectId}/${dayId}/${width}`
      const ticket = frames.claim(view)
      const { day } = await readDay(projectId, dayId)
      const at = locate(dayTimeline(day.clips), seconds, day.name)
      const jpeg = await frames.jpeg({ view, path: at.clip.path, seconds: at.clipSeconds, width }, ticket)
      return { dataUrl: `data:image/jpeg;base64,${jpeg.toString('base64')}`, seconds, clipPath: at.clip.path, clipSeconds: at.clipSeconds, clock: at.clock }
    },
    async prepareFrames(projectId, dayId, width) {
      const { day } = await readDay(projectId, dayId)
      frames.prepare(dayTimeline(day.clips).entries.map((e) => e.clip.path), width)
      return null
    },
    setReference: (projectId, dayId, choice) =>
      changeDay(projectId, dayId, (day) => {
        if (choice.kind === 'moment') {
          locate(dayTimeline(day.clips), choice.seconds, day.name)
          day.analysis.message = withoutLostNote(day.analysis.message)
        }
        day.reference = replaceReference(day.reference, choice)
      }),
    async background(projectId, dayId) {
      const { day } = await readDay(projectId, dayId)
      const { png } = await previews.background(store.dayDir(projectId, dayId), day)
      return { dataUrl: `data:image/png;base64,${png.toString('base64')}` }
    },
    async differencePreview(projectId, dayId, seconds) {
      const { project, day } = await readDay(projectId, dayId)
      const mask = project.mask ? decodeDataUrl(project.mask) : null
      const view = await previews.differencePreview(store.dayDir(projectId, dayId), day, seconds, mask)
      return { dataUrl: `data:image/png;base64,${view.png.toString('base64')}`, seconds, clipPath: view.clip.path, clipSeconds: view.clipSeconds, clock: view.clock }
    },
    setDaySettings: (projectId, dayId, settings) =>
      changeDay(projectId, dayId, (day) => {
        day.settings = replaceDaySettings(day.settings, settings)
      }),
    async setMask(projectId, mask) {
      if (mask !== null) {
        try {
          decodePngGray(decodeDataUrl(mask))
        } catch (error) {
          // Too large a picture is said as such: "cannot be read" would send the owner looking elsewhere.
          throw new AppError('invalid', error instanceof PngTooLarge ? `The mask cannot be used: ${error.message}.` : 'The mask is not a PNG image that can be read.')
        }
      }
      return store.update(projectId, (project) => {
        if (project.mask === mask) return
        // A running analysis reads the mask file (one per project, rewritten at each start) only
        // once it has read its clips: a change now may or may not reach it, and its result,
        // finished later, would not say which.
        const running = runner.runningDays(projectId)
        const names = project.days.filter((d) => running.includes(d.id)).map((d) => d.name)
        if (names.length > 0) throw new AppError('conflict', maskRefusal(names))
        project.mask = mask
        // The mask is applied while analysing: finished days do not show it yet.
        for (const day of project.days) if (day.analysis.status === 'done') day.analysis.message = STALE_NOTE
      })
    },
    setZones(projectId, zones) {
      const seen = new Set<string>()
      for (const zone of zones) {
        if (seen.has(zone.id)) throw new AppError('invalid', `Two areas have the same id "${zone.id}"; each area needs its own.`)
        seen.add(zone.id)
      }
      return store.update(projectId, (project) => {
        project.zones = replaceZones(project.zones, zones)
      })
    },

    async startAnalysis(projectId, dayId) {
      results.forget(store.resultDir(projectId, dayId))
      return runner.start(projectId, dayId)
    },
    async cancelAnalysis(projectId, dayId) {
      await readDay(projectId, dayId)
      await runner.cancel(projectId, dayId)
      return store.read(projectId)
    },
    async dayResult(projectId, dayId, window) {
      return (await computeDay(projectId, dayId, window)).result
    },
    async compareDays(projectId, dayA, dayB, window) {
      const [a, b] = await Promise.all([computeDay(projectId, dayA, window), computeDay(projectId, dayB, window)])
      const compared = (d: typeof a): ComparedDay => ({ name: d.day.name, result: d.result, share: d.share })
      return compareDayResults(compared(a), compared(b))
    },
    async exportFile(projectId, dayId, kind, window) {
      const { project, day } = await readDay(projectId, dayId)
      const dir = store.resultDir(projectId, dayId)
      return exportFile(kind, { project: projectId, day: dayId, dayName: day.name }, dir, window, async (within) =>
        exportFigures(await results.get(dir, day.name), project.zones, within, day.name)
      )
    }
  }

  // Every call waits for the start-up checks, so nobody sees a day still marked as running.
  const service = Object.fromEntries(
    Object.entries(api).map(([name, fn]) => [name, async (...args: unknown[]) => {
      await ready.catch(() => undefined)
      return (fn as (...a: unknown[]) => Promise<unknown>)(...args)
    }])
  ) as AppApi

  return {
    ...service,
    ready,
    async dispose() {
      frames.dispose()
      await runner.dispose()
    }
  }
}
