// One Dwellmap at a time on a projects folder. At start-up the app marks the days it finds
// 'running' as interrupted, so a second app on the same folder would mark the first one's live
// analyses as interrupted (and both would write the same project.json files).
//
// The lock is a file in the folder holding the owner's pid, made with O_EXCL ('wx') so that of
// two starting at once only one gets it. A lock whose pid is no longer alive was left by a crash
// and is taken over. Synchronous on purpose: it is taken once at start-up and must be released
// from a process 'exit' handler, where only synchronous calls run.
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export const LOCK_FILE = '.dwellmap.lock'

/** A lock file younger than this with no pid in it yet is its owner writing it, not a crash. */
const BEING_WRITTEN_MS = 5000

export class FolderLocked extends Error {
  constructor(
    readonly folder: string,
    /** The owner, when the lock file names it. */
    readonly pid: number | null
  ) {
    super(`another Dwellmap is already using the projects folder ${folder}${pid === null ? '' : ` (pid ${pid})`}`)
    this.name = 'FolderLocked'
  }
}

export interface FolderLock {
  readonly file: string
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void
}

/** Lock files this process holds: a second lock on the same folder in one process is refused too. */
const held = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, but another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The pid in a lock file; null when it has none (yet), undefined when the file is gone. */
function ownerOf(file: string): number | null | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const pid = Number(text.trim())
  return Number.isInteger(pid) && pid > 0 ? pid : null
}

/** True when the lock file was left behind by a process that is gone. */
function isStale(file: string, owner: number | null): boolean {
  if (owner === null) {
    try {
      return Date.now() - statSync(file).mtimeMs > BEING_WRITTEN_MS
    } catch {
      return false
    }
  }
  // Our own pid in a lock we do not hold: left by an earlier process that had the same pid
  // (common in containers, where pids restart from 1).
  if (owner === process.pid) return !held.has(file)
  return !isAlive(owner)
}

/**
 * Takes the folder's lock for as long as this process runs (released on exit, however it
 * comes), or throws FolderLocked naming the owner. The folder must exist.
 */
export function lockFolder(folder: string): FolderLock {
  const file = join(folder, LOCK_FILE)
  // A few rounds: each either takes the lock, finds a live owner, or clears a stale lock.
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number
    try {
      fd = openSync(file, 'wx')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') {
        // Read-only or not ours: said in words, not as a bare system error.
        throw new Error(`the projects folder ${folder} cannot be written to (${code ?? (error as Error).message})`, { cause: error })
      }
      const owner = ownerOf(file)
      if (owner === undefined) continue // released meanwhile: try again
      if (!isStale(file, owner)) throw new FolderLocked(folder, owner)
      // Look again just before removing: another starting process may have replaced the stale
      // lock with its own a moment ago (only a gap of microseconds remains).
      if (ownerOf(file) === owner) {
        try {
          unlinkSync(file)
        } catch (unlinkError) {
          if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError
        }
      }
      continue
    }
    try {
      writeSync(fd, `${process.pid}\n`)
    } catch (error) {
      // A full disk, say: leave no empty lock behind.
      closeSync(fd)
      unlinkSync(file)
      throw error
    }
    closeSync(fd)
    return holdLock(file)
  }
  throw new FolderLocked(folder, ownerOf(file) ?? null)
}

function holdLock(file: string): FolderLock {
  held.add(file)
  const release = (): void => {
    if (!held.delete(file)) return
    process.removeListener('exit', release)
    try {
      if (ownerOf(file) === process.pid) unlinkSync(file)
    } catch {
      // Already gone, or the folder with it: nothing left to release.
    }
  }
  // Signals end the process through handlers that exit normally (serve-command.ts); a crash
  // leaves the file behind, and the next start finds its pid dead.
  process.on('exit', release)
  return { file, release }
}
