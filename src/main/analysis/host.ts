// Runs analysis jobs in a worker process and turns its messages into a promise and events.
// Knows nothing of Electron: the shell passes a launcher built on utilityProcess, plain Node
// uses child_process.fork.
import type { ChildProcess } from 'node:child_process'
import type { Summary } from '../../shared/summary'
import { forkWorker, workerStartFor } from '../runtime/fork-worker'
import { WorkerToHostSchema, type AnalysisJob, type HostToWorker, type Problem, type Progress } from '../../shared/worker-protocol'

export interface WorkerChannel {
  send(message: HostToWorker): void
  onMessage(listener: (data: unknown) => void): void
  onExit(listener: (detail: string) => void): void
  kill(): void
}

/** Starts a worker for this job (its settings choose the worker's memory settings). */
export type WorkerLauncher = (job: AnalysisJob) => WorkerChannel

/** A problem the analysis reported: one file (or none) and what is wrong. */
export class AnalysisError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.file ? `${problem.file}: ${problem.message}` : problem.message)
  }
}

export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled')
  }
}

/**
 * Forks the worker under plain Node (runtime/fork-worker.ts). `forked`: a worker started earlier
 * for this job, if it has one (the CLI's, see cli/early-worker.ts).
 */
export function nodeWorkerLauncher(entry: string, forked?: (job: AnalysisJob) => ChildProcess | null): WorkerLauncher {
  return (job) => {
    const child = forked?.(job) ?? forkWorker(entry, workerStartFor(job))
    return {
      send: (m) => child.connected && child.send(m),
      onMessage: (l) => child.on('message', l),
      onExit: (l) => child.on('exit', (code, signal) => l(signal ? `killed by ${signal}` : `exit code ${code}`)),
      kill: () => child.kill('SIGKILL')
    }
  }
}

export interface JobEvents {
  onProgress?(progress: Progress): void
  onWarning?(problem: Problem): void
  signal?: AbortSignal
}

/** How long a cancelled worker may take to stop its ffmpeg and leave before it is killed. */
const CANCEL_GRACE_MS = 5000

export function runJob(launch: WorkerLauncher, job: AnalysisJob, events: JobEvents = {}): Promise<Summary> {
  return new Promise<Summary>((resolve, reject) => {
    const channel = launch(job)
    let settled = false
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      events.signal?.removeEventListener('abort', onAbort)
      channel.kill()
      fn()
    }
    const onAbort = (): void => {
      channel.send({ type: 'cancel' })
      setTimeout(() => finish(() => reject(new AnalysisCancelled())), CANCEL_GRACE_MS).unref()
    }
    channel.onMessage((data) => {
      const parsed = WorkerToHostSchema.safeParse(data)
      if (!parsed.success) return finish(() => reject(new Error('the analysis worker sent a malformed message')))
      const m = parsed.data
      switch (m.type) {
        case 'progress': return events.onProgress?.(m.progress)
        case 'warning': return events.onWarning?.(m.problem)
        case 'done': return finish(() => resolve(m.summary))
        case 'error': return finish(() => reject(new AnalysisError(m.problem)))
        case 'cancelled': return finish(() => reject(new AnalysisCancelled()))
      }
    })
    channel.onExit((detail) => finish(() => reject(new Error(`the analysis worker stopped unexpectedly (${detail})`))))
    if (events.signal?.aborted) return finish(() => reject(new AnalysisCancelled()))
    events.signal?.addEventListener('abort', onAbort, { once: true })
    channel.send({ type: 'start', job })
  })
}
