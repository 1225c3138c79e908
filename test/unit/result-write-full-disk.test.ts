// A result folder written on a disk that fills up: every new file is written whole before the
// earlier analysis (or comparison) is touched, so a failed write leaves it as it was, with no
// temporary files, and says so in one line naming the folder, rather than
// `ENOSPC: no space left on device, write` after having removed the earlier summary.json.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RESULT_FILES } from '../../src/shared/summary'
import { compareResults } from '../../src/main/results/compare-results'
import { atomicTarget } from '../../src/main/runtime/atomic-write'
import { fullDisk } from '../helpers/full-disk'
import { FIRST, SECOND, writeAnalysis } from '../helpers/two-analyses'

vi.mock('node:fs/promises', async (importOriginal) => (await import('../helpers/full-disk')).withFullDisk(await importOriginal()))

let root: string

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dwellmap-full-disk-'))
})

afterEach(async () => {
  fullDisk.fails = null
  await rm(root, { recursive: true, force: true })
})

/** The disk fills up while (the temporary file of) `name` is written. */
function fullWhileWriting(name: string): void {
  fullDisk.fails = (path) => basename(atomicTarget(path)) === name && path !== atomicTarget(path)
}

/** Every file of the folder and a hash of its bytes (report.html is megabytes: too slow to diff). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const name of (await readdir(dir)).sort()) files[name] = createHash('sha256').update(await readFile(join(dir, name))).digest('hex')
  return files
}

describe('an analysis written on a disk that fills up', () => {
  it('keeps the earlier analysis whole and says which folder could not be written', async () => {
    const dir = join(root, 'monday')
    await writeAnalysis(dir, FIRST)
    const before = await snapshot(dir)
    fullWhileWriting(RESULT_FILES.reportHtml)
    const failed: unknown = await writeAnalysis(dir, SECOND).catch((error: unknown) => error)
    // Every file as it was (summary.json too), and no temporary file left.
    expect(await snapshot(dir)).toEqual(before)
    expect(failed).toHaveProperty('message', `${dir}: the disk is full (no space left to write the results); the earlier result there is kept`)
    expect(JSON.parse((await readFile(join(dir, RESULT_FILES.summaryJson))).toString('utf8'))).toMatchObject({ createdAt: FIRST.summary.createdAt })
  })

  it('leaves nothing in a folder that held no result', async () => {
    const dir = join(root, 'tuesday')
    fullWhileWriting(RESULT_FILES.summaryJson)
    await expect(writeAnalysis(dir, SECOND)).rejects.toHaveProperty('message', `${dir}: the disk is full (no space left to write the results)`)
    expect(await readdir(dir)).toEqual([])
  })

  it('replaces the earlier analysis once there is room', async () => {
    const dir = join(root, 'monday')
    await writeAnalysis(dir, FIRST)
    await writeAnalysis(dir, SECOND)
    expect(JSON.parse((await readFile(join(dir, RESULT_FILES.summaryJson))).toString('utf8'))).toMatchObject({ createdAt: SECOND.summary.createdAt })
    expect((await readdir(dir)).sort()).toEqual(Object.values(RESULT_FILES).sort())
  })
})

describe('a comparison written on a disk that fills up', () => {
  it('keeps the earlier comparison whole and says which folder could not be written', async () => {
    const [a, b, out] = ['a', 'b', 'compared'].map((name) => join(root, name))
    await writeAnalysis(a, FIRST)
    await writeAnalysis(b, SECOND)
    await compareResults(a, b, out)
    const before = await snapshot(out)
    fullWhileWriting('compare.json')
    const failed: unknown = await compareResults(b, a, out).catch((error: unknown) => error)
    expect(await snapshot(out)).toEqual(before)
    expect(failed).toHaveProperty('message', `${out}: the disk is full (no space left to write the comparison); the earlier comparison there is kept`)
  })
})
