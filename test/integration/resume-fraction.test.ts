// Resuming a day's analysis keeps the share already done until the worker's first progress comes:
// it read "Starting… 0 % done" (and "analysing 0%" in the days list), then jumped to 41 %.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnalysisState, Clip, Project } from '../../src/shared/project'
import { createAppService, type AppService } from '../../src/main/services/app-service'
import { silentWorker } from '../helpers/silent-worker'

let tmp: string
let service: AppService
let projectId: string

const CLIP: Clip = {
  path: '/footage/monday.mp4', bytes: 1000, width: 640, height: 360, fps: 10, durationSeconds: 600,
  startedAt: '2026-03-09T08:00:00', startSource: 'metadata', problem: null
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-resume-'))
  // The worker never answers: the test looks only at the state the start saves and returns.
  service = createAppService({ projectsRoot: join(tmp, 'projects'), resultsRoot: join(tmp, 'results'), ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', launchWorker: silentWorker, emit: () => {} })
  await service.ready
  projectId = (await service.createProject('Shop')).id
  await service.addDay(projectId, 'Monday')
})

afterAll(async () => {
  await service?.dispose()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** Leaves the day as an earlier run left it (project.json as written; the worker is a fake). */
async function dayLeftAs(analysis: AnalysisState): Promise<void> {
  const file = join(tmp, 'projects', projectId, 'project.json')
  const project = JSON.parse(await readFile(file, 'utf8')) as Project
  project.days[0].clips = [CLIP]
  project.days[0].analysis = analysis
  await writeFile(file, JSON.stringify(project))
}

async function startedFraction(): Promise<number | null> {
  const project = await service.startAnalysis(projectId, 'monday')
  const started = project.days[0].analysis
  expect(started.status).toBe('running')
  // The state saved is what a reloaded page and the days list read.
  expect((await service.openProject(projectId)).days[0].analysis.fraction).toBe(started.fraction)
  await service.cancelAnalysis(projectId, 'monday')
  return started.fraction
}

describe('starting an analysis', () => {
  it.each(['cancelled', 'interrupted', 'failed'] as const)('keeps the share done when a %s run resumes', async (status) => {
    await dayLeftAs({ status, fraction: 0.41, message: null, finishedAt: null })
    expect(await startedFraction()).toBe(0.41)
  })

  it('starts at 0 a day never analysed, or analysed to the end before', async () => {
    await dayLeftAs({ status: 'never', fraction: null, message: null, finishedAt: null })
    expect(await startedFraction()).toBe(0)
    await dayLeftAs({ status: 'done', fraction: 1, message: null, finishedAt: '2026-03-09T18:00:00.000Z' })
    expect(await startedFraction()).toBe(0)
  })
})
