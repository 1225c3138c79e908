// How the analysis worker process is forked under plain Node (the CLI, the browser host, tests);
// Electron starts it as a utilityProcess instead (electron/analysis-process.ts), with the same
// environment.
import { fork, type ChildProcess } from 'node:child_process'
import { WORKER_EXEC_ARGV } from './read-chunk-garbage'
import { workerEnv } from './reuse-memory-env'

/** Names the ffmpeg the worker starts as it starts (media/warm-fed-decoder.ts). */
export const WARM_FFMPEG_ENV = 'DWELLMAP_WARM_FFMPEG'

/** What decides a worker's environment: its grid's width, and whether and which ffmpeg it warms. */
export interface WorkerStart {
  width: 'native' | number
  /** See warmFfmpegFor. */
  warmFfmpeg: string | null
}

/**
 * The ffmpeg a worker should start at once: the one of the job, if the job's first decoder is
 * most likely a fed keyframe decoder (an occupancy run's automatic empty scene over keyframes at
 * a reduced width: run-analysis.ts's sharing task), started as occupancy's are (without the loop
 * filter, see skipsLoopFilter). Any other run stops it unused. Not on Windows, where
 * whether ffmpeg sees the pipe as its fd 3 depends on the C runtime it was built with (checked
 * here on Linux only).
 */
export function warmFfmpegFor(settings: { method: string; sample: { kind: string }; reference: { kind: string }; width: 'native' | number }, ffmpeg: string): string | null {
  const keyframes = settings.sample.kind === 'auto' || settings.sample.kind === 'keyframes'
  const likely = settings.method === 'occupancy' && keyframes && settings.reference.kind === 'auto' && settings.width !== 'native'
  return likely && process.platform !== 'win32' ? ffmpeg : null
}

/** How a worker for this job starts. */
export function workerStartFor(job: { settings: Parameters<typeof warmFfmpegFor>[0]; ffmpegPath: string }): WorkerStart {
  return { width: job.settings.width, warmFfmpeg: warmFfmpegFor(job.settings, job.ffmpegPath) }
}

/** The worker's environment (memory settings for its width, the ffmpeg to warm). */
export function workerStartEnv(start: WorkerStart): NodeJS.ProcessEnv {
  const env = workerEnv(start.width)
  if (start.warmFfmpeg) env[WARM_FFMPEG_ENV] = start.warmFfmpeg
  return env
}

/** Forks the worker at `entry`. A .ts entry (tests, development) runs through tsx. */
export function forkWorker(entry: string, start: WorkerStart): ChildProcess {
  return fork(entry, [], {
    execArgv: [...WORKER_EXEC_ARGV, ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
    env: workerStartEnv(start)
  })
}
