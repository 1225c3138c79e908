// One Dwellmap at a time on a projects folder. At start-up the app marks the days it finds
// 'running' as interrupted, so a second app on the same folder would mark the first one's live
// analyses as interrupted (and both would write the same project.json files).
//
// proper-lockfile: the lock is a folder made with mkdir, so that of two starting at once only one
// gets it. Its owner refreshes the lock's mtime every STALE_MS / 2 (on an unref'd timer, so a
// command still ends by itself); a lock left unrefreshed for STALE_MS was left by a crash and is
// taken over. The library removes the lock on exit and on a signal nobody handles
// (signal-exit). Synchronous on purpose: it is taken once at start-up, before anything else runs.
import { join } from 'node:path'
import { lockSync } from 'proper-lockfile'

/** A folder, not a file: mkdir is what makes taking it atomic. */
export const LOCK_FILE = '.dwellmap-lock'

/** A live owner refreshes its lock every STALE_MS / 2; one not refreshed for this long is a crash's. */
const STALE_MS = 10_000
/** The longest a crash keeps the folder, with a margin: the library sets the first mtime up to 1 s ahead. */
export const CRASH_FREES_WITHIN_S = STALE_MS / 1000 + 2

export class FolderLocked extends Error {
  constructor(readonly folder: string) {
    super(`another Dwellmap is already using the projects folder ${folder} (one that stopped unexpectedly frees it within ${CRASH_FREES_WITHIN_S} seconds)`)
    this.name = 'FolderLocked'
  }
}

export interface FolderLock {
  readonly file: string
  /** Removes the lock if it is still ours; safe to call more than once. */
  release(): void
}

/**
 * Takes the folder's lock for as long as this process runs (released on exit, however it
 * comes), or throws FolderLocked. The folder must exist.
 */
export function lockFolder(folder: string): FolderLock {
  const file = join(folder, LOCK_FILE)
  let unlock: () => void
  try {
    unlock = lockSync(folder, {
      lockfilePath: file,
      stale: STALE_MS,
      // The library's default throws from a timer, which would end the app. The lock is lost when
      // someone removed it, or took it over while this process could not refresh it (a machine
      // asleep for longer than STALE_MS): say so and keep working.
      onCompromised: (error) => console.warn(`Dwellmap: lost the lock on the projects folder ${folder}, so another Dwellmap may use it too (${error.message})`)
    })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOCKED') throw new FolderLocked(folder)
    // Read-only, missing or not ours: said in words, not as a bare system error.
    throw new Error(`the projects folder ${folder} cannot be written to (${code ?? (error as Error).message})`, { cause: error })
  }
  const release = (): void => {
    try {
      unlock()
    } catch {
      // Released already, lost (the library then leaves the new owner's lock alone), or gone with
      // the folder: nothing left to release.
    }
  }
  return { file, release }
}
