// The analysis worker forked as the CLI starts, before the CLI loads and checks its options: the
// worker's own start-up (Node and its modules) then runs beside the CLI's
// instead of after it (~0.1 s of a default analysis of the 10-minute bench clip). Only this
// module and what it needs load first: nothing here may import zod or commander.
import type { ChildProcess } from 'node:child_process'
import { locateFfmpeg } from '../media/ffmpeg-locator'
import { forkWorker, warmFfmpegFor, type WorkerStart } from '../runtime/fork-worker'
import { largeGridEnv } from '../runtime/reuse-memory-env'
import { builtPaths } from './paths'

type Width = 'native' | number

let early: { child: ChildProcess; width: Width } | null = null

/** Forks the worker for `dwellmap analyze ...` (argv as Node gives it), with the environment its
 *  options will most likely need. Anything else: nothing. */
export function forkEarlyWorker(argv: readonly string[]): void {
  const args = argv.slice(2)
  if (args[0] !== 'analyze' || args.some((a) => a === '-h' || a === '--help')) return
  const start = likelyStart(args, (setting) => locateFfmpeg(setting).ffmpeg)
  const child = forkWorker(builtPaths.worker, start)
  // Untaken (a usage mistake ends the CLI first), it neither keeps the CLI alive nor outlives it:
  // it leaves when its channel closes.
  child.unref()
  child.channel?.unref()
  child.on('error', () => {})
  early = { child, width: start.width }
}

/**
 * The early worker, if its environment suits the analysis's width (the options as checked may
 * differ from the first guess); else it is stopped and null is returned (fork a fresh one). A
 * worker that warmed an ffmpeg the job does not use stops it itself.
 */
export function takeEarlyWorker(width: Width): ChildProcess | null {
  const taken = early
  early = null
  if (!taken) return null
  if (taken.child.exitCode !== null || taken.child.signalCode !== null || !taken.child.connected || largeGridEnv(taken.width) !== largeGridEnv(width)) {
    taken.child.kill()
    return null
  }
  taken.child.ref()
  taken.child.channel?.ref()
  return taken.child
}

/** The last value given to each option, read as commander will read them (`-w 800`, `-w800`,
 *  `--width 800`, `--width=800`), up to `--`. */
function lastValues(args: readonly string[], options: ReadonlyArray<readonly [long: string, short: string | null]>): Map<string, string> {
  const found = new Map<string, string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') break
    for (const [long, short] of options) {
      if (a === long || a === short) found.set(long, args[++i])
      else if (a.startsWith(`${long}=`)) found.set(long, a.slice(long.length + 1))
      else if (short && a.startsWith(short) && a.length > short.length && !a.startsWith('--')) found.set(long, a.slice(short.length))
      else continue
      break
    }
  }
  return found
}

/** The options the early worker's start depends on. */
const START_OPTIONS = [['--width', '-w'], ['--method', '-m'], ['--sample', '-s'], ['--reference', '-r'], ['--ffmpeg', null]] as const

/** The width the options ask for, with the method's default (seed: native). */
function widthOf(o: Map<string, string>): Width {
  const width = o.get('--width')
  if (width === undefined) return o.get('--method') === 'seed' ? 'native' : 640
  return width === 'native' ? 'native' : Number(width)
}

export function likelyWidth(args: readonly string[]): Width {
  return widthOf(lastValues(args, START_OPTIONS))
}

/**
 * How the worker for these options most likely starts. It warms ffmpeg (`locate`: the CLI's
 * search for it, given the `--ffmpeg` option) for the default method's settings only: the seed
 * method's defaults (every 5th frame, the first frame as reference) never use a fed decoder.
 */
export function likelyStart(args: readonly string[], locate: (setting: string | undefined) => string): WorkerStart {
  const o = lastValues(args, START_OPTIONS)
  const width = widthOf(o)
  const kind = (text: string | undefined): string => (text ?? 'auto').split(':')[0]
  const settings = { method: o.get('--method') ?? 'occupancy', width, sample: { kind: kind(o.get('--sample')) }, reference: { kind: kind(o.get('--reference')) } }
  if (settings.method !== 'occupancy') return { width, warmFfmpeg: null }
  let ffmpeg: string
  try {
    ffmpeg = locate(o.get('--ffmpeg') ?? process.env.FFMPEG_PATH)
  } catch {
    // Said by the CLI once it has read its options.
    return { width, warmFfmpeg: null }
  }
  return { width, warmFfmpeg: warmFfmpegFor(settings, ffmpeg) }
}
