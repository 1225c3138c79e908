// Folders the app writes into (results, projects), made before anything is written, so that a
// path that cannot hold them is said at once, in words, rather than as a system error code after
// hours of decoding.
import { mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { InputError } from '../media/probe'

/** What a failed mkdir means for the user. */
const REASONS: Record<string, string> = {
  EEXIST: 'it is a file, not a folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  ENOENT: 'a folder cannot be made there'
}

/**
 * Makes the folder and its missing parents, one level at a time: Node's recursive mkdir loops
 * forever where a parent exists but refuses new entries with ENOENT (e.g. under /proc).
 */
export async function makeFolder(dir: string, holds = 'the results'): Promise<void> {
  try {
    await makeLevel(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    throw new InputError(dir, `cannot hold ${holds}: ${REASONS[code] ?? (err as Error).message}`)
  }
}

async function makeLevel(dir: string): Promise<void> {
  try {
    await mkdir(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EEXIST') {
      if ((await stat(dir)).isDirectory()) return
      throw err
    }
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err
    await makeLevel(dirname(dir))
    // Once more, now that the parent is there; ENOENT again is final (no loop).
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again
    })
  }
}
