// Reading a result folder while a new analysis may be replacing it. writeResults writes its files
// under temporary names, then removes the old summary.json, renames the others into place one by
// one and the new summary.json last (result-set.ts); so files read while summary.json stayed the
// same file are all of the analysis it describes.
// Used by every reader of result folders (the app's days, `dwellmap serve --results`, `dwellmap
// compare`), which each turn ResultBeingRewritten into their own words.
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { RESULT_FILES } from '../../shared/summary'

/** The folder's files kept changing under every read: a new analysis is writing them now. */
export class ResultBeingRewritten extends Error {
  constructor(readonly dir: string) {
    super(`${dir}: the analysis in it is being rewritten`)
    this.name = 'ResultBeingRewritten'
  }
}

/** The pauses before each new try of a read that found the result being replaced (0.8 s in all). */
const REREAD_PAUSES_MS = [25, 50, 100, 200, 400]

/**
 * Which file summary.json is now, or null when there is none. writeResults replaces every file
 * whole (a new file renamed into place), so a new analysis's summary.json is a new file: another
 * inode, and other times (the inode alone could be the old one's, freed and reused).
 */
export async function summaryIdentity(dir: string): Promise<string | null> {
  try {
    const s = await stat(join(dir, RESULT_FILES.summaryJson), { bigint: true })
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`
  } catch (error) {
    if (isMissing(error)) return null
    throw error
  }
}

/** A file or folder that is not there (ENOTDIR: a path through a file). */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

/**
 * Runs `read` (the reader's own reads of the folder's files, one after another) until it ran
 * while summary.json stayed the same file, and answers what it answered then, result or error.
 * Otherwise (the files of two analyses, or a file gone half-way) it reads again, and after a few
 * tries throws ResultBeingRewritten, rather than calling the result damaged or missing.
 */
export async function readOneAnalysis<T>(dir: string, read: () => Promise<T>): Promise<T> {
  let replaced = false
  for (const pause of [0, ...REREAD_PAUSES_MS]) {
    if (pause > 0) await delay(pause)
    const before = await summaryIdentity(dir)
    const outcome = await read().then(
      (result) => ({ result }),
      (error: unknown) => ({ error })
    )
    const after = await summaryIdentity(dir)
    // No summary.json from start to end is no result, unless it went during an earlier try.
    if (before === after && (before !== null || !replaced)) {
      if ('error' in outcome) throw outcome.error
      return outcome.result
    }
    replaced = true
  }
  throw new ResultBeingRewritten(dir)
}
