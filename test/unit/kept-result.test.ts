// A day's last finished result, kept apart from the state of its latest analysis: recorded with
// the clips it left out when an analysis finishes, and kept while a newer one runs and after it is
// cancelled or fails (the engine replaces the result files only when an analysis finishes).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkerLauncher } from '../../src/main/analysis/host'
import { createAppService, type AppService } from '../../src/main/services/app-service'
import { ProjectsStore } from '../../src/main/services/projects-store'
import { ProjectSchema, type Clip, type Day, type Project } from '../../src/shared/project'
import type { Summary } from '../../src/shared/summary'
import { FIRST, writeAnalysis } from '../helpers/two-analyses'

type Behaviour = 'finish' | 'fail' | 'hang'

/** What the next analysis does: finish (writing FIRST with two clips left out), fail, or run until cancelled. */
let next: Behaviour = 'finish'

const LEFT_OUT = [
  { path: '/footage/gone.mp4', problem: 'cannot be read: No such file or directory' },
  { path: '/footage/cut.mp4', problem: 'is cut short' }
]
const SUMMARY: Summary = {
  ...FIRST.summary,
  inputs: [...FIRST.summary.inputs, ...LEFT_OUT.map((c) => ({ ...FIRST.summary.inputs[0], ...c, hash: '', framesSampled: 0, status: 'rejected' as const }))]
}

const scriptedWorker: WorkerLauncher = () => {
  let listener: (data: unknown) => void = () => {}
  return {
    send: (m) => {
      if (m.type === 'cancel') return listener({ type: 'cancelled' })
      if (m.type !== 'start') return
      const behaviour = next
      if (behaviour === 'fail') setTimeout(() => listener({ type: 'error', problem: { file: null, message: 'the decoder stopped' } }), 5)
      if (behaviour === 'finish') void writeAnalysis(m.job.outDir, { ...FIRST, summary: SUMMARY }).then(() => listener({ type: 'done', summary: SUMMARY }))
    },
    onMessage: (l) => {
      listener = l
    },
    onExit: () => {},
    kill: () => {}
  }
}

const clip = (path: string): Clip => ({ path, bytes: 1000, width: 4, height: 2, fps: 25, durationSeconds: 3600, startedAt: null, startSource: null, problem: null })

let tmp: string
let store: ProjectsStore
let service: AppService
let projectId: string

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-kept-result-'))
  const projectsRoot = join(tmp, 'projects')
  store = new ProjectsStore(projectsRoot)
  service = createAppService({ projectsRoot, resultsRoot: join(tmp, 'results'), ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', launchWorker: scriptedWorker, emit: () => {} })
  projectId = (await service.createProject('Shop')).id
  await service.addDay(projectId, 'Monday')
  await service.addDay(projectId, 'Tuesday')
  await store.update(projectId, (p) => {
    for (const day of p.days) day.clips = [clip('/footage/ok.mp4'), clip('/footage/gone.mp4'), clip('/footage/cut.mp4')]
  })
})

afterAll(async () => {
  await service?.dispose()
  await rm(tmp, { recursive: true, force: true })
})

async function dayOf(dayId: string): Promise<Day> {
  return (await service.openProject(projectId)).days.find((d) => d.id === dayId)!
}

/** Starts an analysis that does `behaviour` and waits until it has ended (a hanging one is cancelled). */
async function analyse(dayId: string, behaviour: Behaviour): Promise<Day> {
  next = behaviour
  await service.startAnalysis(projectId, dayId)
  if (behaviour === 'hang') {
    expect((await dayOf(dayId)).analysis.status).toBe('running')
    await service.cancelAnalysis(projectId, dayId)
  }
  for (let i = 0; i < 200 && (await dayOf(dayId)).analysis.status === 'running'; i++) await new Promise((r) => setTimeout(r, 10))
  return dayOf(dayId)
}

describe('the last finished result of a day', () => {
  it('is recorded when an analysis finishes, with the clips it left out', async () => {
    const day = await analyse('monday', 'finish')
    expect(day.analysis.status).toBe('done')
    expect(day.lastResult).toEqual({ finishedAt: day.analysis.finishedAt, clips: 3, leftOut: LEFT_OUT })
  })

  it('is kept, and still opens, while a newer analysis runs and after it is cancelled or fails', async () => {
    const finished = (await dayOf('monday')).lastResult
    expect(finished?.leftOut).toHaveLength(2)
    next = 'hang'
    await service.startAnalysis(projectId, 'monday')
    expect((await dayOf('monday')).lastResult).toEqual(finished)
    expect((await service.dayResult(projectId, 'monday', null)).view.summary.createdAt).toBe(SUMMARY.createdAt)
    await service.cancelAnalysis(projectId, 'monday')
    const cancelled = await dayOf('monday')
    expect(cancelled.analysis.status).toBe('cancelled')
    expect(cancelled.lastResult).toEqual(finished)

    const failed = await analyse('monday', 'fail')
    expect(failed.analysis.status).toBe('failed')
    expect(failed.lastResult).toEqual(finished)
    expect((await service.dayResult(projectId, 'monday', null)).view.summary.inputs).toHaveLength(3)
  })

  it('is taken from the finished state of a day saved by an older version before a new run replaces it', async () => {
    await store.update(projectId, (p) => {
      const day = p.days.find((d) => d.id === 'tuesday')!
      day.analysis = { status: 'done', fraction: 1, message: null, finishedAt: '2026-03-09T18:00:00.000Z' }
      delete day.lastResult
    })
    const day = await analyse('tuesday', 'hang')
    expect(day.analysis.status).toBe('cancelled')
    expect(day.lastResult).toEqual({ finishedAt: '2026-03-09T18:00:00.000Z' })
  })

  it('loads in projects written before it existed, and keeps what a newer version adds to it', () => {
    const saved = (lastResult?: unknown): Project =>
      ProjectSchema.parse({
        dwellmapProject: 1, id: 'shop', name: 'Shop', zones: [], mask: null,
        days: [{ id: 'mon', name: 'Monday', clips: [], reference: { kind: 'auto' }, settings: { speed: 'fast', sensitivity: 'normal' }, analysis: { status: 'done', fraction: 1, message: null, finishedAt: null }, ...(lastResult ? { lastResult } : {}) }]
      })
    expect(saved().days[0].lastResult).toBeUndefined()
    expect(saved({ finishedAt: 'x', clips: 1, leftOut: [], reason: 'newer' }).days[0].lastResult).toEqual({ finishedAt: 'x', clips: 1, leftOut: [], reason: 'newer' })
  })
})
