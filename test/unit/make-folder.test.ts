// The folders results and projects go to: made with their parents, or refused in words, never a hang.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeFolder } from '../../src/main/runtime/make-folder'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-out-'))
  await writeFile(join(dir, 'a-file'), 'x')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('makeFolder', () => {
  it('makes the folder and its missing parents, and takes one that is there', async () => {
    const deep = join(dir, 'day', 'monday', 'result')
    await makeFolder(deep)
    expect((await stat(deep)).isDirectory()).toBe(true)
    await expect(makeFolder(deep)).resolves.toBeUndefined()
  })

  it('says what is wrong with a path that cannot hold results', async () => {
    await expect(makeFolder(join(dir, 'a-file'))).rejects.toThrow(`${join(dir, 'a-file')}: cannot hold the results: it is a file, not a folder`)
    await expect(makeFolder(join(dir, 'a-file', 'sub'))).rejects.toThrow('a part of the path is a file, not a folder')
  })

  // Node's own recursive mkdir never returns here (/proc exists, and refuses new entries with ENOENT).
  it.runIf(process.platform === 'linux')('refuses a place that takes no folders instead of looping', async () => {
    await expect(makeFolder('/proc/dwellmap-results/day')).rejects.toThrow('/proc/dwellmap-results/day: cannot hold the results: a folder cannot be made there')
    await expect(makeFolder('/proc/dwellmap-projects', 'the projects')).rejects.toThrow('/proc/dwellmap-projects: cannot hold the projects: a folder cannot be made there')
  }, 5_000)
})
