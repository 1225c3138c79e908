// Finds ffmpeg and ffprobe: a user setting first, then the bundled ffmpeg-static binary, then PATH.
// Says which one it chose, because "which ffmpeg ran" is the first question when footage fails.
// ffmpeg-static ships no ffprobe, so an installed app brings its own (ffprobe-static): without it,
// a shop PC with no ffmpeg of its own could not read a single clip.
import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, join } from 'node:path'
import { unpackedPath } from '../runtime/unpacked-path'

export interface FfmpegLocation {
  ffmpeg: string
  ffprobe: string
  source: 'setting' | 'ffmpeg-static' | 'path'
}

const exe = process.platform === 'win32' ? '.exe' : ''

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name + exe)
    if (existsSync(candidate)) return candidate
  }
  return null
}

/** A binary shipped in an npm package, from the asar's unpacked twin in an installed app. */
function bundled(resolvePath: (require: NodeJS.Require) => string | null | undefined): string | null {
  try {
    const path = resolvePath(createRequire(import.meta.url))
    if (!path) return null
    const unpacked = unpackedPath(path)
    return existsSync(unpacked) ? unpacked : null
  } catch {
    // Not installed, or no binary for this platform.
    return null
  }
}

const bundledFfmpeg = (): string | null => bundled((require) => require('ffmpeg-static') as string | null)
/** ffprobe-static ends the process (process.exit) when loaded on a platform it has no binary for. */
const FFPROBE_STATIC_PLATFORMS = ['darwin', 'linux', 'win32']
export const bundledFfprobe = (): string | null =>
  FFPROBE_STATIC_PLATFORMS.includes(process.platform) ? bundled((require) => (require('ffprobe-static') as { path: string }).path) : null

/** ffprobe is looked for beside the chosen ffmpeg first, so the two always match; then the
 *  bundled one (beside ffmpeg-static there is none), then PATH. */
function ffprobeFor(ffmpeg: string): string | null {
  const sibling = join(dirname(ffmpeg), 'ffprobe' + exe)
  return existsSync(sibling) ? sibling : (bundledFfprobe() ?? onPath('ffprobe'))
}

/** A file this process may execute (a folder or a text file named as ffmpeg is not). */
function runnable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

export function locateFfmpeg(setting?: string): FfmpegLocation {
  const candidates: Array<[FfmpegLocation['source'], string | null]> = [
    ['setting', setting && existsSync(setting) ? setting : null],
    ['ffmpeg-static', bundledFfmpeg()],
    ['path', onPath('ffmpeg')]
  ]
  if (setting && !existsSync(setting)) throw new Error(`ffmpeg not found at ${setting} (from the ffmpeg setting)`)
  if (setting && !runnable(setting)) throw new Error(`${setting} cannot be run as ffmpeg (from the ffmpeg setting): it is not an executable file`)
  for (const [source, ffmpeg] of candidates) {
    if (!ffmpeg) continue
    const ffprobe = ffprobeFor(ffmpeg)
    if (ffprobe) return { ffmpeg, ffprobe, source }
  }
  throw new Error('ffmpeg and ffprobe were not found: install ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_PATH')
}
