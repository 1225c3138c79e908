// The one place that spawns ffmpeg/ffprobe. Every running child is tracked with its own
// AbortController so that a cancel (or the app quitting) stops all of them.
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Socket } from 'node:net'
import type { Readable, Writable } from 'node:stream'
import { reuseMemoryEnv } from '../runtime/reuse-memory-env'

const running = new Set<AbortController>()

export class ProcessError extends Error {
  constructor(message: string, readonly stderrTail: string, readonly code: number | null, readonly signal: string | null = null) {
    super(message)
  }
}

export type Spawned<Out extends Readable | null = Readable> = ChildProcessByStdio<Writable | null, Out, Readable>

export interface SpawnOptions {
  signal?: AbortSignal
  /** Passes stdin through as a pipe (for encoders fed by us). */
  stdin?: boolean
  /** For runs that open the clip over and over (concat pieces): see reuse-memory-env.ts. */
  reuseMemory?: boolean
  /** A socket to give the tool as its stdout (see frame-socket.ts); closed here once it has it. */
  stdout?: Socket
  /** A pipe on the tool's fd 3 (`child.stdio[3]`): a filter script in, or frame times out. */
  pipe3?: boolean
}

/** A running media tool, and a promise that settles when it exits. */
export interface SpawnedTool<Out extends Readable | null = Readable> {
  child: Spawned<Out>
  done: Promise<string>
}

/** Spawns a media tool; the returned promise settles when it exits, rejecting on a non-zero exit. */
export function spawnTool(bin: string, args: string[], options?: SpawnOptions & { stdout?: undefined }): SpawnedTool
export function spawnTool(bin: string, args: string[], options: SpawnOptions & { stdout: Socket }): SpawnedTool<null>
export function spawnTool(bin: string, args: string[], options: SpawnOptions = {}): SpawnedTool<Readable | null> {
  const controller = new AbortController()
  const onAbort = (): void => controller.abort()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted) controller.abort()
  let child: Spawned<Readable | null>
  try {
    child = spawn(bin, args, {
      stdio: [options.stdin ? 'pipe' : 'ignore', options.stdout ?? 'pipe', 'pipe', ...(options.pipe3 ? ['pipe' as const] : [])],
      signal: controller.signal,
      windowsHide: true,
      ...(options.reuseMemory ? { env: reuseMemoryEnv() } : {})
    }) as Spawned<Readable | null>
  } catch (err) {
    // Refused before any process existed (an argument Node will not pass): nothing to track.
    options.signal?.removeEventListener('abort', onAbort)
    throw err
  } finally {
    // The child holds its own copy of a given stdout now: ours would keep the reader from seeing the end.
    options.stdout?.destroy()
  }
  running.add(controller)
  // Keep only the end of stderr: it holds the reason ffmpeg gave up, and logs can be huge.
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8192)
  })
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.name === 'AbortError') return
      reject(new ProcessError(err.code === 'ENOENT' ? `${bin} could not be started (not found)` : err.message, stderr, null))
    })
    child.on('close', (code, signal) => {
      running.delete(controller)
      options.signal?.removeEventListener('abort', onAbort)
      if (controller.signal.aborted) reject(new ProcessError('cancelled', stderr, code))
      else if (code === 0) resolve(stderr)
      else reject(new ProcessError(signal ? `stopped by ${signal}` : `exited with code ${code}`, stderr, code, signal))
    })
  })
  return { child, done }
}

/** Runs a tool to completion and returns its stdout as a buffer. */
export async function runTool(bin: string, args: string[], signal?: AbortSignal): Promise<{ stdout: Buffer; stderr: string }> {
  const { child, done } = spawnTool(bin, args, { signal })
  const chunks: Buffer[] = []
  child.stdout.on('data', (c: Buffer) => chunks.push(c))
  const stderr = await done
  return { stdout: Buffer.concat(chunks), stderr }
}

export function cancelAllProcesses(): void {
  for (const controller of running) controller.abort()
}

export function runningProcessCount(): number {
  return running.size
}

/** Lines ffmpeg prints after the real error, as it winds down: never the reason itself. */
const AFTERMATH = [/^Last message repeated \d+ times?$/, /^Cannot determine format of input stream .* after EOF$/, /^Error marking filters as finished$/, /^Conversion failed!$/]

/** The last meaningful line ffmpeg printed: usually the real reason it failed. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !AFTERMATH.some((a) => a.test(l)))
  return lines.at(-1) ?? ''
}
