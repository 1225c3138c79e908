// The atomic writer on a disk that fills up mid-write. A file size limit (`ulimit -f`, no root
// needed) cuts a write short the way a full disk does: the first write() stops at the limit and
// reports fewer bytes, the next fails (EFBIG here, ENOSPC there). write-file-atomic made one
// write and ignored its count, so it synced and renamed a truncated file over the real one and
// resolved; the writer must throw and leave the file as it was.
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { atomicTarget, tempPathFor } from '../../src/main/runtime/atomic-write'

const run = promisify(execFile)
const child = resolve('test/helpers/write-under-size-limit.ts')
const OLD = '{"the earlier": "content, whole"}\n'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-atomic-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `bytes` bytes over `file` in a child process whose files may not grow past 8 KiB. */
async function writeUnderLimit(mode: 'async' | 'sync', file: string, bytes: number): Promise<{ ok?: true; code?: string }> {
  // bash's -f counts KiB; exec keeps the limit for node.
  const { stdout } = await run('bash', ['-c', 'ulimit -f 8 && exec "$0" "$@"', process.execPath, '--import', 'tsx', child, mode, file, String(bytes)])
  return JSON.parse(stdout) as { ok?: true; code?: string }
}

describe.runIf(process.platform !== 'win32')('writeFileAtomic on a disk that fills up mid-write', () => {
  for (const mode of ['async', 'sync'] as const) {
    it(`throws and leaves the earlier file whole (${mode})`, async () => {
      const file = join(dir, 'summary.json')
      await writeFile(file, OLD)
      // 9842 bytes: the summary.json a tester found cut to 8192 after a run that "succeeded".
      expect(await writeUnderLimit(mode, file, 9842)).toEqual({ code: 'EFBIG' })
      expect(await readFile(file, 'utf8')).toBe(OLD)
      // The temporary file went too.
      expect(await readdir(dir)).toEqual(['summary.json'])
    })
  }

  it('writes a file that fits, whole', async () => {
    const file = join(dir, 'summary.json')
    await writeFile(file, OLD)
    expect(await writeUnderLimit('async', file, 8000)).toEqual({ ok: true })
    expect((await readFile(file)).equals(Buffer.alloc(8000, 'a'))).toBe(true)
    expect(await readdir(dir)).toEqual(['summary.json'])
  })
})

describe('temporary names', () => {
  it('are hidden files beside the target, told apart from it', () => {
    const temp = tempPathFor('/out/report.html')
    expect(temp).toMatch(/^\/out\/\.report\.html\.[0-9a-f]{12}\.tmp$/)
    expect(tempPathFor('/out/report.html')).not.toBe(temp)
    expect(atomicTarget(temp)).toBe('/out/report.html')
    expect(atomicTarget('/out/.dwellmap-checkpoint/sums.bin')).toBe('/out/.dwellmap-checkpoint/sums.bin')
  })
})
