// The results' folder: made with its parents, or refused in words, never a hang.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeOutputFolder } from '../../src/main/results/output-folder'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-out-'))
  await writeFile(join(dir, 'a-file'), 'x')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('makeOutputFolder', () => {
  it('makes the folder and its missing parents, and takes one that is there', async () => {
    const deep = join(dir, 'day', 'monday', 'result')
    await makeOutputFolder(deep)
    expect((await stat(deep)).isDirectory()).toBe(true)
    await expect(makeOutputFolder(deep)).resolves.toBeUndefined()
  })

  it('says what is wrong with a path that cannot hold results', async () => {
    await expect(makeOutputFolder(join(dir, 'a-file'))).rejects.toThrow(`${join(dir, 'a-file')}: cannot hold the results: it is a file, not a folder`)
    await expect(makeOutputFolder(join(dir, 'a-file', 'sub'))).rejects.toThrow('a part of the path is a file, not a folder')
  })

  // Node's own recursive mkdir never returns here (/proc exists, and refuses new entries with ENOENT).
  it.runIf(process.platform === 'linux')('refuses a place that takes no folders instead of looping', async () => {
    await expect(makeOutputFolder('/proc/dwellmap-results/day')).rejects.toThrow('/proc/dwellmap-results/day: cannot hold the results: a folder cannot be made there')
  }, 5_000)
})
