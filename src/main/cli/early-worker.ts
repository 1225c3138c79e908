// The analysis worker forked as the CLI starts, before the CLI loads and checks its options: the
// worker's own start-up (Node and its modules) then runs beside the CLI's
// instead of after it (~0.1 s of a default analysis of the 10-minute bench clip). Only this
// module and what it needs load first: nothing here may import zod or commander.
import type { ChildProcess } from 'node:child_process'
import { forkWorker } from '../runtime/fork-worker'
import { largeGridEnv } from '../runtime/reuse-memory-env'
import { builtPaths } from './paths'

type Width = 'native' | number

let early: { child: ChildProcess; width: Width } | null = null

/** Forks the worker for `dwellmap analyze ...` (argv as Node gives it), with the environment its
 *  width will most likely need. Anything else: nothing. */
export function forkEarlyWorker(argv: readonly string[]): void {
  const args = argv.slice(2)
  if (args[0] !== 'analyze' || args.some((a) => a === '-h' || a === '--help')) return
  const width = likelyWidth(args)
  const child = forkWorker(builtPaths.worker, width)
  // Untaken (a usage mistake ends the CLI first), it neither keeps the CLI alive nor outlives it:
  // it leaves when its channel closes.
  child.unref()
  child.channel?.unref()
  child.on('error', () => {})
  early = { child, width }
}

/**
 * The early worker, if its environment suits the analysis's width (the options as checked may
 * differ from the first guess); else it is stopped and null is returned (fork a fresh one).
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

/**
 * The width the options ask for, read as commander will read them (`-w 800`, `-w800`,
 * `--width 800`, `--width=800`, the last one given), with the method's default (seed: native).
 */
export function likelyWidth(args: readonly string[]): Width {
  let width: string | undefined
  let method: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const value = (long: string, short: string): string | undefined => {
      if (a === long || a === short) return args[++i]
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1)
      if (a.startsWith(short) && a.length > short.length && !a.startsWith('--')) return a.slice(short.length)
      return undefined
    }
    if (a === '--') break
    width = value('--width', '-w') ?? width
    method = value('--method', '-m') ?? method
  }
  if (width === undefined) return method === 'seed' ? 'native' : 640
  return width === 'native' ? 'native' : Number(width)
}
