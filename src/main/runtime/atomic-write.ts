// Files written whole or not at all: the new content goes to a temporary file beside the target
// (same folder, so the rename cannot cross disks), is flushed to the disk, and only then renamed
// over the target; on any failure the temporary file is removed and the target is left as it was.
// Not write-file-atomic: it makes one fs.write and ignores how many bytes it wrote. On a nearly
// full disk that write stops short (libuv answers the bytes written, not the ENOSPC that stopped
// it), and the cut file (8192 of 9842 bytes of a summary.json) was synced, renamed over the real
// one and reported as success. fs.promises.writeFile writes until every byte is written, or throws.
import { randomBytes } from 'node:crypto'
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

// Hidden and marked, so that one left by a process killed mid-write is not taken for a result.
const TEMP_NAME = /^\.(.+)\.[0-9a-f]{12}\.tmp$/

/** A new temporary name beside `path`, unique to this write. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
}

/** The file a temporary file of these writers stands for (for watchers of a folder); other paths as they are. */
export function atomicTarget(path: string): string {
  const temp = TEMP_NAME.exec(basename(path))
  return temp ? join(dirname(path), temp[1]) : path
}

/**
 * Writes `data` to a new temporary file beside `path`, flushed to the disk; answers its name. On
 * failure (a full disk, a file too large) nothing is left behind and the error is thrown.
 */
export async function writeTemp(path: string, data: string | Uint8Array): Promise<string> {
  const temp = tempPathFor(path)
  try {
    // 'wx': a new file of our own, never one that is there (or a link planted under the name).
    await writeFile(temp, data, { flag: 'wx', flush: true })
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {})
    throw error
  }
  return temp
}

/** Replaces `path` with `data` atomically: afterwards it holds all of `data`, or what it held before. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = await writeTemp(path, data)
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {})
    throw error
  }
}

/** writeFileAtomic for where nothing may wait (a window closing). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const temp = tempPathFor(path)
  try {
    writeFileSync(temp, data, { flag: 'wx', flush: true })
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, { force: true })
    throw error
  }
}

/**
 * Several files replaced together, in two steps: `write` each to its temporary file (side by side,
 * as soon as it is ready), then, once `written` says every one of them is whole, `replace` the
 * targets in the order they were written. Until then no target has been touched, so a failure
 * (`discard`) leaves what was there before.
 */
export class StagedFiles {
  private readonly staged: Array<{ path: string; temp: Promise<string> }> = []

  write(path: string, data: string | Uint8Array): void {
    const temp = writeTemp(path, data)
    // Awaited by written() or discard(); meanwhile a failure is not an unhandled rejection.
    temp.catch(() => {})
    this.staged.push({ path, temp })
  }

  /** Waits for every write; throws the first failure (the caller then discards). */
  async written(): Promise<void> {
    const outcomes = await Promise.allSettled(this.staged.map((s) => s.temp))
    const failed = outcomes.find((o) => o.status === 'rejected')
    if (failed) throw failed.reason
  }

  /** Removes every temporary file, once its write has ended (a failed one removed its own). */
  async discard(): Promise<void> {
    await Promise.all(this.staged.map((s) => s.temp.then((temp) => rm(temp, { force: true })).catch(() => {})))
  }

  /** Renames each file into place, in the order written; a failure removes the temporary files left. */
  async replace(): Promise<void> {
    for (const [i, s] of this.staged.entries()) {
      try {
        await rename(await s.temp, s.path)
      } catch (error) {
        await Promise.all(this.staged.slice(i).map((left) => left.temp.then((temp) => rm(temp, { force: true })).catch(() => {})))
        throw error
      }
    }
  }
}

/** What a failed write means, in words (`what`: what was being written, "the results"). */
export function writeProblem(error: unknown, what: string): string | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOSPC': return `the disk is full (no space left to write ${what})`
    case 'EDQUOT': return `the disk quota is used up (no space left to write ${what})`
    case 'EFBIG': return `a file of ${what} is larger than this disk or system allows`
    case 'EROFS': return `the disk is read-only (${what} cannot be written)`
    case 'EACCES':
    case 'EPERM': return `permission denied (${what} cannot be written)`
    case 'EIO': return `the disk failed while writing ${what} (input/output error)`
    default: return null
  }
}
