// The projects store on a temp folder: ids, atomic one-at-a-time updates, damaged files, recents.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectsStore } from '../../src/main/services/projects-store'
import { browse } from '../../src/main/services/browse'

let root: string
let store: ProjectsStore

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dwellmap-store-'))
  store = new ProjectsStore(join(root, 'projects'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('projects store', () => {
  it('lists nothing before the folder exists', async () => {
    expect(await store.list()).toEqual([])
  })

  it('gives each project its own folder, even when created at the same moment', async () => {
    const made = await Promise.all([store.create('Shop'), store.create('Shop'), store.create('Shop')])
    expect(made.map((p) => p.id).sort()).toEqual(['shop', 'shop-2', 'shop-3'])
    expect((await readdir(store.root)).sort()).toEqual(['shop', 'shop-2', 'shop-3'])
  })

  it('runs updates of a project one at a time, so none is lost', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update('shop', async (p) => {
          await new Promise((r) => setTimeout(r, Math.random() * 5))
          p.zones.push({ id: `z${i}`, name: `Zone ${i}`, points: [[0, 0], [1, 0], [0, 1]] })
        })
      )
    )
    expect((await store.read('shop')).zones).toHaveLength(20)
  })

  it('leaves the file untouched when a change fails or breaks the schema', async () => {
    const before = await readFile(join(store.root, 'shop', 'project.json'), 'utf8')
    await expect(store.update('shop', () => {
      throw new Error('no')
    })).rejects.toThrow('no')
    await expect(store.update('shop', (p) => {
      p.name = ''
    })).rejects.toThrow()
    expect(await readFile(join(store.root, 'shop', 'project.json'), 'utf8')).toBe(before)
    // The lock is free again.
    expect((await store.update('shop', (p) => void (p.name = 'Shop A'))).name).toBe('Shop A')
  })

  it('names missing and damaged projects plainly, and lists around them', async () => {
    await expect(store.read('nope')).rejects.toThrow(`There is no project "nope" in ${store.root}.`)
    await mkdir(join(store.root, 'broken'))
    await writeFile(join(store.root, 'broken', 'project.json'), '{"dwellmapProject": 1, "id": "broken"')
    await expect(store.read('broken')).rejects.toThrow('The project file of "broken" is damaged (it is not valid JSON).')
    await mkdir(join(store.root, 'odd'))
    await writeFile(join(store.root, 'odd', 'project.json'), '{"dwellmapProject": 1}')
    await expect(store.read('odd')).rejects.toThrow(/The project file of "odd" is damaged \(/)
    await mkdir(join(store.root, 'Not A Slug'))
    await mkdir(join(store.root, 'no-project-file'))
    // Damaged ones are listed, marked, so they do not seem lost; other folders are not projects.
    const list = await store.list()
    expect(list.map((p) => p.id).sort()).toEqual(['broken', 'odd', 'shop', 'shop-2', 'shop-3'])
    expect(list.find((p) => p.id === 'broken')?.unreadable).toBe('project.json is damaged (it is not valid JSON)')
    expect(list.filter((p) => p.unreadable).map((p) => p.id).sort()).toEqual(['broken', 'odd'])
    await rm(join(store.root, 'broken'), { recursive: true })
    await rm(join(store.root, 'odd'), { recursive: true })
    await rm(join(store.root, 'no-project-file'), { recursive: true })
  })

  it('lists the most recently opened first', async () => {
    await store.touch('shop-3')
    await new Promise((r) => setTimeout(r, 5))
    await store.touch('shop-2')
    const list = await store.list()
    expect(list.map((p) => p.id)).toEqual(['shop-2', 'shop-3', 'shop'])
    expect(list[2].openedAt).toBeNull()
    expect(list[0]).toMatchObject({ name: 'Shop', days: 0 })
  })
})

describe('browse', () => {
  it('lists folders first, marks videos, skips hidden entries', async () => {
    const dir = join(root, 'browse')
    await mkdir(join(dir, 'b-folder'), { recursive: true })
    await mkdir(join(dir, '.hidden-folder'))
    for (const name of ['clip10.mp4', 'clip9.MKV', 'notes.txt', '.secret.mp4', 'a.dav']) await writeFile(join(dir, name), 'x')
    const listing = await browse(dir)
    expect(listing.dir).toBe(dir)
    expect(listing.parent).toBe(root)
    expect(listing.entries.map((e) => [e.name, e.kind])).toEqual([
      ['b-folder', 'dir'],
      ['a.dav', 'video'],
      ['clip9.MKV', 'video'],
      ['clip10.mp4', 'video'],
      ['notes.txt', 'other']
    ])
    expect(listing.entries[0].path).toBe(join(dir, 'b-folder'))
  })

  it('says why a folder cannot be opened', async () => {
    await expect(browse(join(root, 'missing'))).rejects.toThrow(`The folder ${join(root, 'missing')} cannot be opened: it does not exist.`)
    await writeFile(join(root, 'file.txt'), 'x')
    await expect(browse(join(root, 'file.txt'))).rejects.toThrow('cannot be opened: it is not a folder.')
    expect((await browse('/')).parent).toBeNull()
  })

  it('reads ~ as the home folder and refuses other relative paths', async () => {
    const home = join(root, 'home')
    await mkdir(join(home, 'Videos'), { recursive: true })
    await writeFile(join(home, 'Videos', 'cam.mp4'), 'x')
    const saved = process.env.HOME
    // os.homedir() follows HOME on each call.
    process.env.HOME = home
    try {
      expect((await browse('~/Videos')).entries.map((e) => e.path)).toEqual([join(home, 'Videos', 'cam.mp4')])
      expect((await browse('~')).dir).toBe(home)
      // Never against the host's working folder, whatever it holds.
      for (const typed of ['Videos', './Videos', '~someone/Videos', 'C:\\Users']) {
        await expect(browse(typed), typed).rejects.toThrow(`“${typed}” is not a full path. Type the whole path of the folder, such as /home, or ~ for your home folder.`)
      }
    } finally {
      if (saved === undefined) delete process.env.HOME
      else process.env.HOME = saved
    }
  })
})
