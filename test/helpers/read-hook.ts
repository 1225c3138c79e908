// A hook run before every readFile of node:fs/promises, for tests that put a change (a new
// analysis writing the folder) between a reader's reads. A test file mocks the module with it:
//   vi.mock('node:fs/promises', async (importOriginal) => (await import('../helpers/read-hook')).withReadHook(await importOriginal()))
// It imports nothing at run time: it is loaded while node:fs/promises is being mocked.
import type * as FsPromises from 'node:fs/promises'

export const readHook = { beforeRead: null as ((path: string) => Promise<void>) | null }

export function withReadHook(actual: typeof FsPromises): typeof FsPromises {
  const readFile = (async (...args: Parameters<typeof actual.readFile>) => {
    await readHook.beforeRead?.(String(args[0]))
    return actual.readFile(...args)
  }) as typeof actual.readFile
  return { ...actual, readFile }
}

/** Runs `action` before every read of a file named `name` (in any folder) until the hook is cleared. */
export function beforeReading(name: string, action: (path: string) => Promise<void>): void {
  readHook.beforeRead = async (path) => {
    if (path.endsWith(`/${name}`)) await action(path)
  }
}
