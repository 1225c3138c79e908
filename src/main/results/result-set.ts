// A result folder holds one analysis (summary.json beside its files) or one comparison
// (compare.json beside its files). Both kinds are written here as a set: every new file whole
// under a temporary name first, and only then the earlier set's marker removed and the new files
// renamed into place, the marker last. The readers (read-one-analysis.ts) rely on that order: the
// marker goes first and comes back last, so files read while it stayed the same file are of one
// set. A set that cannot be written (a full disk) leaves the earlier one as it was.
import { existsSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { RESULT_FILES } from '../../shared/summary'
import { InputError } from '../media/probe'
import { StagedFiles, writeProblem } from '../runtime/atomic-write'

export const RESULT_KINDS = {
  analysis: { marker: RESULT_FILES.summaryJson, held: 'an analysis', name: 'the analysis', files: 'the results', earlier: 'the earlier result' },
  comparison: { marker: 'compare.json', held: 'a comparison', name: 'the comparison', files: 'the comparison', earlier: 'the earlier comparison' }
} as const
export type ResultKind = keyof typeof RESULT_KINDS

/** Refuses a folder that holds the other kind: both write report.html, which would replace its own. */
export function refuseOtherKind(dir: string, kind: ResultKind): void {
  const other = RESULT_KINDS[kind === 'analysis' ? 'comparison' : 'analysis']
  if (existsSync(join(dir, other.marker))) throw new Error(`${dir} holds ${other.held} (${other.marker}); write ${RESULT_KINDS[kind].name} to a folder of its own`)
}

/**
 * Writes a set of `kind` into `dir` (made already): `fill` hands each file to `staged.write` and
 * answers the marker's content, written after them. `obsolete`: files of the earlier set that
 * the new one has no copy of, removed with it. A write that fails throws one line naming the
 * folder and the problem in words.
 */
export async function writeResultSet(dir: string, kind: ResultKind, fill: (staged: StagedFiles) => Promise<string>, obsolete: string[] = []): Promise<void> {
  const { marker, files, earlier } = RESULT_KINDS[kind]
  const markerPath = join(dir, marker)
  const staged = new StagedFiles()
  try {
    staged.write(markerPath, await fill(staged))
    await staged.written()
  } catch (error) {
    await staged.discard()
    // Not a system call that failed (a bug in the encoding, say): as it is.
    const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException
    if (typeof code !== 'string' || typeof syscall !== 'string') throw error
    const problem = writeProblem(error, files) ?? `${files} could not be written (${(error as Error).message})`
    throw new InputError(dir, `${problem}${existsSync(markerPath) ? `; ${earlier} there is kept` : ''}`)
  }
  // Only now does the earlier set stop being one, before its files are replaced: should this stop
  // half-way, no marker describes files of another set.
  await rm(markerPath, { force: true })
  for (const path of obsolete) await rm(path, { force: true })
  await staged.replace()
}
