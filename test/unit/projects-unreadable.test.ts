// Projects this version cannot open (a damaged project.json, or one from a newer Dwellmap) stay in
// the list, marked, and are never written; fields this version does not know survive a save.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ProjectsStore } from '../../src/main/services/projects-store'
import { createAppService } from '../../src/main/services/app-service'
import { APP_API } from '../../src/shared/app-api'
import type { Clip } from '../../src/shared/project'
import { silentWorker } from '../helpers/silent-worker'

let root: string
let store: ProjectsStore

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dwellmap-unreadable-'))
  store = new ProjectsStore(join(root, 'projects'))
})

afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

const fileOf = (id: string): string => join(store.root, id, 'project.json')

async function editJson(id: string, edit: (json: Record<string, unknown>) => void): Promise<void> {
  const json = JSON.parse(await readFile(fileOf(id), 'utf8')) as Record<string, unknown>
  edit(json)
  await writeFile(fileOf(id), JSON.stringify(json, null, 2))
}

/** "Future" from a newer Dwellmap, "Broken" cut short, "Shop" fine. */
async function makeThree(): Promise<void> {
  await store.create('Future')
  await store.create('Broken')
  await store.create('Shop')
  await editJson('future', (json) => void (json.dwellmapProject = 2))
  const text = await readFile(fileOf('broken'), 'utf8')
  await writeFile(fileOf('broken'), text.slice(0, 30))
}

describe('unreadable projects', () => {
  it('are listed with the reason in plain words, not hidden', async () => {
    await makeThree()
    const list = await store.list()
    expect(list).toEqual([
      { id: 'broken', name: 'broken', days: 0, openedAt: null, unreadable: 'project.json is damaged (it is not valid JSON)' },
      { id: 'future', name: 'Future', days: 0, openedAt: null, unreadable: 'made by a newer version of Dwellmap: update Dwellmap to open it' },
      { id: 'shop', name: 'Shop', days: 0, openedAt: null }
    ])
    // The list still passes the API's check on its way to the renderer.
    expect(APP_API.listProjects.result.parse(list)).toEqual(list)
  })

  it('name the damage when the JSON is whole but wrong, with the name it still gives', async () => {
    await store.create('Odd')
    await editJson('odd', (json) => void (json.days = 'none'))
    expect((await store.list())[0]).toMatchObject({ id: 'odd', name: 'Odd', unreadable: expect.stringMatching(/^project\.json is damaged \(days: /) })
    await expect(store.read('odd')).rejects.toThrow(/^The project file of "odd" is damaged \(days: /)
  })

  it('say why they cannot be opened', async () => {
    await makeThree()
    await expect(store.read('future')).rejects.toThrow('Project "Future" was made by a newer version of Dwellmap: update Dwellmap to open it.')
    await expect(store.read('broken')).rejects.toThrow('The project file of "broken" is damaged (it is not valid JSON).')
  })

  it('are never written, so a newer version\'s project is never overwritten', async () => {
    await makeThree()
    const before = await readFile(fileOf('future'), 'utf8')
    await expect(store.update('future', (p) => void (p.name = 'Mine now'))).rejects.toThrow(/newer version/)
    expect(await readFile(fileOf('future'), 'utf8')).toBe(before)
  })

  it('keep their folders: a new project of the same name gets its own', async () => {
    await makeThree()
    const before = await readFile(fileOf('future'), 'utf8')
    const made = await store.create('Future')
    expect(made.id).toBe('future-2')
    expect(await readFile(fileOf('future'), 'utf8')).toBe(before)
    expect((await store.list()).map((p) => [p.id, p.unreadable ?? null])).toContainEqual(['future', 'made by a newer version of Dwellmap: update Dwellmap to open it'])
  })
})

describe('fields this version does not know', () => {
  it('survive every save, at every level of the file', async () => {
    await store.create('Shop')
    await store.update('shop', (p) => {
      p.days.push({
        id: 'monday',
        name: 'Monday',
        clips: [{ path: '/v/a.mp4', bytes: 1, width: 2, height: 2, fps: null, durationSeconds: null, startedAt: null, startSource: null, problem: null }],
        reference: { kind: 'auto' },
        settings: { speed: 'fast', sensitivity: 'normal' },
        analysis: { status: 'never', fraction: null, message: null, finishedAt: null }
      })
      p.zones.push({ id: 'door', name: 'Door', points: [[0, 0], [1, 0], [0, 1]] })
    })
    await editJson('shop', (json) => {
      json.notes = 'keep me'
      const day = (json.days as Record<string, unknown>[])[0]
      day.camera = { tilt: 3 }
      ;(day.clips as Record<string, unknown>[])[0].lens = 'wide'
      ;(day.settings as Record<string, unknown>).denoise = true
      ;(day.reference as Record<string, unknown>).note = 'morning'
      ;(day.analysis as Record<string, unknown>).worker = 'gpu'
      ;(json.zones as Record<string, unknown>[])[0].colour = 'red'
    })
    const saved = await store.update('shop', (p) => void (p.name = 'Shop floor'))
    expect(saved).toMatchObject({ name: 'Shop floor', notes: 'keep me' })
    expect(JSON.parse(await readFile(fileOf('shop'), 'utf8'))).toMatchObject({
      name: 'Shop floor',
      notes: 'keep me',
      days: [{ camera: { tilt: 3 }, clips: [{ lens: 'wide' }], settings: { denoise: true }, reference: { note: 'morning' }, analysis: { worker: 'gpu' } }],
      zones: [{ colour: 'red' }]
    })
    // And the project as the API hands it out keeps them too.
    expect(APP_API.openProject.result.parse(saved)).toMatchObject({ notes: 'keep me' })
  })

  it('survive the owner replacing the zones, the settings and the empty scene', async () => {
    const service = createAppService({ projectsRoot: store.root, resultsRoot: join(root, 'results'), ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', launchWorker: silentWorker, emit: () => {} })
    await service.ready
    const clip = (name: string, start: string): Clip => ({ path: `/v/${name}.mp4`, bytes: 1, width: 2, height: 2, fps: 10, durationSeconds: 60, startedAt: start, startSource: 'given', problem: null })
    const { id } = await service.createProject('Shop')
    await store.update(id, (p) => {
      p.days.push({
        id: 'monday',
        name: 'Monday',
        clips: [clip('a', '2026-03-09T08:00:00'), clip('b', '2026-03-09T09:00:00')],
        reference: { kind: 'moment', seconds: 70 },
        settings: { speed: 'fast', sensitivity: 'normal' },
        analysis: { status: 'done', fraction: 1, message: null, finishedAt: '2026-03-09T20:00:00.000Z' }
      })
      p.zones.push({ id: 'door', name: 'Door', points: [[0, 0], [1, 0], [0, 1]] }, { id: 'till', name: 'Till', points: [[0, 0], [1, 0], [1, 1]] })
    })
    await editJson(id, (json) => {
      const day = (json.days as Record<string, unknown>[])[0]
      ;(day.settings as Record<string, unknown>).denoise = true
      ;(day.reference as Record<string, unknown>).note = 'morning'
      ;(json.zones as Record<string, unknown>[])[0].colour = 'red'
      ;(json.zones as Record<string, unknown>[])[1].colour = 'blue'
    })
    const saved = async (): Promise<{ days: Array<Record<string, unknown>>; zones: Array<Record<string, unknown>> }> => JSON.parse(await readFile(fileOf(id), 'utf8'))
    try {
      // The same settings again: nothing changed, so the finished day is not out of date.
      await service.setDaySettings(id, 'monday', { speed: 'fast', sensitivity: 'normal' })
      expect((await saved()).days[0]).toMatchObject({ settings: { speed: 'fast', sensitivity: 'normal', denoise: true }, analysis: { message: null } })
      await service.setDaySettings(id, 'monday', { speed: 'detailed', sensitivity: 'normal' })
      expect((await saved()).days[0].settings).toEqual({ speed: 'detailed', sensitivity: 'normal', denoise: true })

      // Zones are matched by id: a zone drawn anew has nothing to keep, a removed one goes.
      await service.setZones(id, [
        { id: 'door', name: 'Front door', points: [[0, 0], [0.5, 0], [0, 0.5]] },
        { id: 'window', name: 'Window', points: [[0, 0], [1, 0], [1, 1]] }
      ])
      expect((await saved()).zones).toEqual([
        { id: 'door', name: 'Front door', points: [[0, 0], [0.5, 0], [0, 0.5]], colour: 'red' },
        { id: 'window', name: 'Window', points: [[0, 0], [1, 0], [1, 1]] }
      ])

      await service.setReference(id, 'monday', { kind: 'moment', seconds: 75 })
      expect((await saved()).days[0].reference).toEqual({ kind: 'moment', seconds: 75, note: 'morning' })
      // The picked frame follows its clip when the clips move, its fields with it.
      await service.moveClip(id, 'monday', '/v/b.mp4', 0)
      expect((await saved()).days[0].reference).toEqual({ kind: 'moment', seconds: 15, note: 'morning' })
      // Another kind of choice: what the saved one said was about the moment it replaces.
      await service.setReference(id, 'monday', { kind: 'auto' })
      expect((await saved()).days[0].reference).toEqual({ kind: 'auto' })
    } finally {
      await service.dispose()
    }
  })
})
