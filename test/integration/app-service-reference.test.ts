// The empty-scene frame the owner picked stays the frame analysed while the day's clips change
// (it is stored as day seconds, which shift), and the mask cannot change under a running analysis.
// No analysis runs here: a worker that never answers keeps a day 'running' for as long as needed.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Day, Project } from '../../src/shared/project'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { createAppService, type AppService } from '../../src/main/services/app-service'
import { silentWorker } from '../helpers/silent-worker'
import { REFERENCE_LOST_NOTE, STALE_NOTE } from '../../src/shared/day-notes'
import { dayTimeline, locate } from '../../src/main/services/day-timeline'
import { testClipArgs } from '../helpers/test-clips'

const ff = locateFfmpeg()
let tmp: string
let projectsRoot: string
let service: AppService
/** Four copies of one 20 s clip, told apart by the start in their NVR-style names. */
const clips = { a: '', b: '', c: '', d: '' }

const silent = silentWorker

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-reference-'))
  projectsRoot = join(tmp, 'projects')
  const footage = join(tmp, 'footage')
  await mkdir(footage)
  const source = join(tmp, 'source.mp4')
  await promisify(execFile)(ff.ffmpeg, testClipArgs({ size: '160x90', rate: 10, seconds: 20, gop: 20, ultrafast: true }, source))
  const starts = { a: '20260309100000', b: '20260309110000', c: '20260309090000', d: '20260309080000' }
  for (const [name, start] of Object.entries(starts) as Array<[keyof typeof clips, string]>) {
    clips[name] = join(footage, `${name}_${start}.mp4`)
    await copyFile(source, clips[name])
  }
  service = createAppService({ projectsRoot, resultsRoot: join(tmp, 'results'), ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe, launchWorker: silent, emit: () => {} })
  await service.ready
})

afterAll(async () => {
  await service?.dispose()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

function day(project: Project, dayId: string): Day {
  return project.days.find((d) => d.id === dayId)!
}

/** The clip and the time in it that the day's reference stands for. */
function pickedFrame(d: Day): { path: string; clipSeconds: number } {
  if (d.reference.kind !== 'moment') throw new Error(`${d.name} has an automatic reference`)
  const at = locate(dayTimeline(d.clips), d.reference.seconds, d.name)
  return { path: at.clip.path, clipSeconds: at.clipSeconds }
}

/** Edits project.json as an earlier analysis, or an earlier version of the app, left it. */
async function editOnDisk(projectId: string, edit: (project: Project) => void): Promise<void> {
  const file = join(projectsRoot, projectId, 'project.json')
  const project = JSON.parse(await readFile(file, 'utf8')) as Project
  edit(project)
  await writeFile(file, JSON.stringify(project))
}

describe('the empty-scene frame the owner picked', () => {
  let projectId: string

  it('stays on its clip and time when an earlier clip is added', async () => {
    projectId = (await service.createProject('Reference')).id
    await service.addDay(projectId, 'Monday')
    await service.addClips(projectId, 'monday', [clips.a, clips.b])
    // 25 s into the day: 5 s into b (a is 10:00-10:00:20, b 11:00-11:00:20).
    let project = await service.setReference(projectId, 'monday', { kind: 'moment', seconds: 25 })
    expect(pickedFrame(day(project, 'monday'))).toEqual({ path: clips.b, clipSeconds: 5 })
    project = await service.addClips(projectId, 'monday', [clips.c])
    const monday = day(project, 'monday')
    expect(monday.clips.map((c) => c.path)).toEqual([clips.c, clips.a, clips.b])
    expect(monday.reference).toEqual({ kind: 'moment', seconds: 45 })
    expect(pickedFrame(monday)).toEqual({ path: clips.b, clipSeconds: 5 })
    expect(monday.analysis.message).toBeNull()
    // The preview of the day's reference moment shows that frame too.
    const view = await service.frame(projectId, 'monday', 45, 64)
    expect(view).toMatchObject({ clipPath: clips.b, clipSeconds: 5 })
  })

  it('stays when a clip start changes or a clip is moved', async () => {
    // c moves from first to last: b is second again.
    let project = await service.setClipStart(projectId, 'monday', clips.c, '2026-03-09T12:00')
    expect(day(project, 'monday').clips.map((c) => c.path)).toEqual([clips.a, clips.b, clips.c])
    expect(day(project, 'monday').reference).toEqual({ kind: 'moment', seconds: 25 })
    project = await service.moveClip(projectId, 'monday', clips.b, 0)
    expect(day(project, 'monday').reference).toEqual({ kind: 'moment', seconds: 5 })
    expect(pickedFrame(day(project, 'monday'))).toEqual({ path: clips.b, clipSeconds: 5 })
  })

  it('stays when another clip is removed', async () => {
    let project = await service.moveClip(projectId, 'monday', clips.b, 2)
    expect(day(project, 'monday').clips.map((c) => c.path)).toEqual([clips.a, clips.c, clips.b])
    project = await service.removeClip(projectId, 'monday', clips.a)
    expect(day(project, 'monday').reference).toEqual({ kind: 'moment', seconds: 25 })
    expect(pickedFrame(day(project, 'monday'))).toEqual({ path: clips.b, clipSeconds: 5 })
    expect(day(project, 'monday').analysis.message).toBeNull()
  })

  it('goes back to automatic, with a note, when its clip is removed', async () => {
    let project = await service.removeClip(projectId, 'monday', clips.b)
    expect(day(project, 'monday').reference).toEqual({ kind: 'auto' })
    expect(day(project, 'monday').analysis.message).toBe(REFERENCE_LOST_NOTE)
    // Picking a frame again takes the note away.
    project = await service.setReference(projectId, 'monday', { kind: 'moment', seconds: 3 })
    expect(day(project, 'monday').analysis.message).toBeNull()
  })

  it('tells an analysed day both that its frame is lost and that its result is out of date', async () => {
    await editOnDisk(projectId, (p) => {
      day(p, 'monday').analysis = { status: 'done', fraction: 1, message: null, finishedAt: '2026-03-10T08:00:00.000Z' }
    })
    const project = await service.removeClip(projectId, 'monday', clips.c)
    expect(day(project, 'monday').reference).toEqual({ kind: 'auto' })
    expect(day(project, 'monday').analysis).toMatchObject({ status: 'done', message: `${REFERENCE_LOST_NOTE} ${STALE_NOTE}` })
  })

  it('goes back to automatic when a saved moment no longer falls on the day', async () => {
    // Saved by a version that did not follow the frame: 90 s into a day of 20 s.
    await service.addClips(projectId, 'monday', [clips.a])
    await editOnDisk(projectId, (p) => {
      day(p, 'monday').reference = { kind: 'moment', seconds: 90 }
      day(p, 'monday').analysis = { status: 'never', fraction: null, message: null, finishedAt: null }
    })
    const project = await service.addClips(projectId, 'monday', [clips.b])
    expect(day(project, 'monday').reference).toEqual({ kind: 'auto' })
    expect(day(project, 'monday').analysis.message).toBe(REFERENCE_LOST_NOTE)
  })
})

describe('the mask during an analysis', () => {
  const png = new PNG({ width: 16, height: 9 })
  png.data.fill(0)
  const mask = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`

  it('cannot be changed while any day of the project is analysed', async () => {
    const { id } = await service.createProject('Mask')
    await service.addDay(id, 'Monday')
    await service.addDay(id, 'Tuesday')
    await service.addClips(id, 'monday', [clips.a])
    await service.addClips(id, 'tuesday', [clips.b])
    await service.startAnalysis(id, 'tuesday')
    await expect(service.setMask(id, mask)).rejects.toMatchObject({
      code: 'conflict',
      message: 'Wait for the analysis of Tuesday to finish or cancel it before changing the mask.'
    })
    // Setting the mask it already has changes nothing, so it is not refused.
    expect((await service.setMask(id, null)).mask).toBeNull()
    await service.startAnalysis(id, 'monday')
    await expect(service.setMask(id, mask)).rejects.toThrow('Wait for the analyses of Monday and Tuesday to finish or cancel them before changing the mask.')
    await service.cancelAnalysis(id, 'monday')
    await expect(service.setMask(id, mask)).rejects.toThrow('Wait for the analysis of Tuesday to finish')
    await service.cancelAnalysis(id, 'tuesday')
    const project = await service.setMask(id, mask)
    expect(project.mask).toBe(mask)
    expect(project.days.map((d) => d.analysis.status)).toEqual(['cancelled', 'cancelled'])
  })
})
