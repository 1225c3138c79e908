// `dwellmap demo` (behind `npm run demo`): two generated days, analysed, then shown in the app.
// The days are analysed twice over: as plain results (what `dwellmap analyze` writes) and as the
// project "Demo shop" made through the app's own API, so the app opens on a real project.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, resolve } from 'node:path'
import type { AppEvent } from '../../shared/app-api'
import type { Project } from '../../shared/project'
import { nodeWorkerLauncher, type WorkerLauncher } from '../analysis/host'
import { DEMO_DAYS } from '../footage'
import { locateFfmpeg } from '../media/ffmpeg-locator'
import { createAppService } from '../services/app-service'
import { EventHub } from '../services/event-hub'
import { analyze } from './analyze-command'
import { generate } from './generate-command'
import { builtPaths } from './paths'
import { serve } from './serve-command'

/** The Electron binary, when this machine has one (its download is optional). */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

export const DEMO_PROJECT = { name: 'Demo shop', id: 'demo-shop', days: ['Monday', 'Tuesday'] } as const

/**
 * Makes (or completes) the project "Demo shop": day Monday with the first clip, Tuesday with the
 * second, each analysed. Everything goes through the app's API, as a user's clicks would.
 */
export async function createDemoProject(
  projectsRoot: string,
  clips: string[],
  tools: { ffmpeg: string; ffprobe: string; launchWorker: WorkerLauncher; resultsRoot: string },
  log: (line: string) => void = () => {}
): Promise<Project> {
  const events = new EventHub()
  const api = createAppService({ projectsRoot, ...tools, emit: events.emit })
  try {
    const existing = (await api.listProjects()).find((p) => p.id === DEMO_PROJECT.id)
    let project = existing ? await api.openProject(existing.id) : await api.createProject(DEMO_PROJECT.name)
    for (const [i, name] of DEMO_PROJECT.days.entries()) {
      let day = project.days.find((d) => d.name === name)
      if (!day) {
        project = await api.addDay(project.id, name)
        day = project.days.at(-1)!
      }
      if (!day.clips.some((c) => c.path === resolve(clips[i]))) {
        project = await api.addClips(project.id, day.id, [resolve(clips[i])])
        day = project.days.find((d) => d.id === day!.id)!
      }
      if (day.analysis.status === 'done' && day.analysis.message === null) continue
      log(`Analysing ${name} of the "${project.name}" project`)
      const finished = new Promise<AppEvent & { type: 'analysis' }>((done) => {
        const stop = events.subscribe((e) => {
          if (e.type === 'analysis' && e.projectId === project.id && e.dayId === day!.id && e.status !== 'running') {
            stop()
            done(e)
          }
        })
      })
      await api.startAnalysis(project.id, day.id)
      const outcome = await finished
      if (outcome.status !== 'done') throw new Error(`The demo day ${name} could not be analysed: ${outcome.message ?? outcome.status}`)
    }
    return await api.openProject(project.id)
  } finally {
    await api.dispose()
  }
}

export async function runDemo(dir: string, open: boolean): Promise<void> {
  const root = resolve(dir)
  const footage = join(root, 'footage')
  const results = join(root, 'results')
  const projects = join(root, 'projects')
  const clips = DEMO_DAYS.every((d) => existsSync(join(footage, `${d.name}.mp4`)))
    ? DEMO_DAYS.map((d) => join(footage, `${d.name}.mp4`))
    : await generate(footage, 'demo', 0)
  for (const clip of clips) {
    const out = join(results, basename(clip, '.mp4'))
    process.stdout.write(`\nAnalysing ${clip}\n`)
    const summary = await analyze([clip], { out, method: 'occupancy', kernel: 'auto' })
    process.stdout.write(`  ${summary.frames.used} frames, ${summary.kernel} kernel, ${summary.timings.totalSeconds.toFixed(1)} s\n  results: ${out}\n`)
  }
  const ff = locateFfmpeg(process.env.FFMPEG_PATH)
  process.stdout.write('\n')
  const project = await createDemoProject(
    projects,
    clips,
    { ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe, launchWorker: nodeWorkerLauncher(builtPaths.worker), resultsRoot: results },
    (line) => process.stdout.write(line + '\n')
  )
  process.stdout.write(`Project "${project.name}" with ${project.days.map((d) => d.name).join(' and ')}: ${join(projects, project.id)}\n`)
  if (!open) return
  const electron = electronBinary()
  if (electron) {
    process.stdout.write('\nOpening the Dwellmap app...\n')
    spawn(electron, [builtPaths.electronMain, `--results=${results}`, `--projects=${projects}`], { stdio: 'inherit', detached: true }).unref()
    return
  }
  process.stdout.write('\nThe Electron app is not installed on this machine, so the app opens in your browser instead.\n')
  await serve({ projects, results, port: 0 })
}
