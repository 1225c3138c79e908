// The browser host's file picker (a web page cannot learn paths): one folder's entries, folders
// first, then files, with videos marked; hidden entries are left out.
import { readdir, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { z } from 'zod'
import type { BrowseEntrySchema, BrowseResultSchema } from '../../shared/app-api'
import { AppError } from './app-error'
import { isVideoName } from './clip-import'

type BrowseEntry = z.infer<typeof BrowseEntrySchema>
type BrowseResult = z.infer<typeof BrowseResultSchema>

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  ENOTDIR: 'it is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied'
}

/**
 * The folder a typed path names: ~ is the home folder, as in a shell. Other relative paths are
 * refused: the host would read them against its own working folder ("~/Videos" became
 * "<cwd>/~/Videos"), which the owner never sees.
 */
function folderOf(dir: string | undefined): string {
  if (dir === undefined) return homedir()
  if (/^~(?=$|[/\\])/.test(dir)) return resolve(homedir(), `.${dir.slice(1)}`)
  if (!isAbsolute(dir)) {
    const example = process.platform === 'win32' ? 'C:\\Users' : '/home'
    throw new AppError('invalid', `“${dir}” is not a full path. Type the whole path of the folder, such as ${example}, or ~ for your home folder.`)
  }
  return resolve(dir)
}

export async function browse(dir: string | undefined): Promise<BrowseResult> {
  const path = folderOf(dir)
  let entries
  try {
    const info = await stat(path)
    if (!info.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' })
    entries = await readdir(path, { withFileTypes: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw new AppError(code === 'ENOENT' ? 'not-found' : 'invalid', `The folder ${path} cannot be opened: ${REASONS[code] ?? (code || 'unknown error')}.`)
  }
  const out: BrowseEntry[] = []
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue
    const full = join(path, entry.name)
    let isDir = entry.isDirectory()
    // Follow symbolic links to show what they point at; broken ones are left out.
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => null)
      if (!target) continue
      isDir = target.isDirectory()
    }
    out.push({ name: entry.name, path: full, kind: isDir ? 'dir' : isVideoName(entry.name) ? 'video' : 'other' })
  }
  const rank = (e: BrowseEntry): number => (e.kind === 'dir' ? 0 : 1)
  out.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }))
  const parent = dirname(path)
  return { dir: path, parent: parent === path ? null : parent, entries: out }
}
