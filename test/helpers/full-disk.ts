// A disk that fills up while chosen files are written, for tests of what a failed write leaves:
// writeFile of node:fs/promises writes half of the data, then fails with ENOSPC as Node does.
// A test file mocks the module with it:
//   vi.mock('node:fs/promises', async (importOriginal) => (await import('../helpers/full-disk')).withFullDisk(await importOriginal()))
// It imports nothing at run time: it is loaded while node:fs/promises is being mocked.
import type * as FsPromises from 'node:fs/promises'

/** `fails(path)`: whether the disk is full when `path` is written (null: never). */
export const fullDisk = { fails: null as ((path: string) => boolean) | null }

export function withFullDisk(actual: typeof FsPromises): typeof FsPromises {
  const writeFile = (async (...args: Parameters<typeof actual.writeFile>) => {
    const [file, data, options] = args
    if (!fullDisk.fails?.(String(file))) return actual.writeFile(...args)
    const bytes = typeof data === 'string' ? Buffer.from(data) : (data as Uint8Array)
    await actual.writeFile(file, bytes.subarray(0, bytes.length >> 1), options)
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' })
  }) as typeof actual.writeFile
  return { ...actual, writeFile }
}
