// The analysis worker's side of the protocol (worker.ts is its entry): one job at a time, its
// progress, its cancel, its end.
import type { WarmFedDecoder } from '../media/warm-fed-decoder'
import { HostToWorkerSchema, type WorkerToHost } from '../../shared/worker-protocol'
import { InputError } from '../media/probe'
import { ProcessError } from '../media/processes'
import { runAnalysis } from './run-analysis'

interface Port {
  send(message: WorkerToHost): void
  onMessage(listener: (data: unknown) => void): void
  /** The host went away (CLI killed or stopped early): nobody wants the result any more. */
  onHostGone(listener: () => void): void
}

interface ParentPort {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

function connect(): Port {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    // Electron ends a utility process together with the app that started it.
    return { send: (m) => parentPort.postMessage(m), onMessage: (l) => parentPort.on('message', (e) => l(e.data)), onHostGone: () => {} }
  }
  const send = process.send?.bind(process)
  if (send) {
    return {
      // The host can go between the check and the write (a CLI whose reader stopped early exits
      // at once): with a callback the broken channel is an answer, not an 'error' event that would
      // print a stack trace on the user's terminal. 'disconnect' follows and stops the run.
      send: (m) => {
        if (process.connected) send(m, undefined, undefined, () => {})
      },
      onMessage: (l) => process.on('message', l),
      onHostGone: (l) => process.on('disconnect', l)
    }
  }
  throw new Error('the analysis worker must be started by Dwellmap, not run directly')
}

/** Serves the host; `warm`: the ffmpeg the entry started, for the job's first fed decoder. */
export function serveAnalysis(warm: WarmFedDecoder | null): void {
  const port = connect()
  const controller = new AbortController()
  let running = false
  // A cancel or a host gone before the job needs the warmed ffmpeg no more.
  controller.signal.addEventListener('abort', () => warm?.dispose(), { once: true })
  // Stop decoding (the checkpoint stays for the next run); the process ends when its ffmpeg have.
  port.onHostGone(() => controller.abort())
  // Ctrl-C in a terminal reaches the whole process group (host, worker, ffmpeg), a shutdown every
  // process: stop as on a cancel, keeping what was finished, rather than die with it unsaved.
  const onSignal = (code: number) => (): void => {
    if (!running) process.exit(code)
    controller.abort()
  }
  process.on('SIGINT', onSignal(130))
  process.on('SIGTERM', onSignal(143))

  port.onMessage((data) => {
    const parsed = HostToWorkerSchema.safeParse(data)
    if (!parsed.success) {
      port.send({ type: 'error', problem: { file: null, message: 'the worker received a malformed message' } })
      return
    }
    const message = parsed.data
    if (message.type === 'cancel') {
      controller.abort()
      if (!running) port.send({ type: 'cancelled' })
      return
    }
    if (running) return
    running = true
    runAnalysis(message.job, {
      progress: (progress) => port.send({ type: 'progress', progress }),
      warning: (problem) => port.send({ type: 'warning', problem })
    }, controller.signal, warm)
      .then((summary) => port.send({ type: 'done', summary }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) port.send({ type: 'cancelled' })
        else if (err instanceof InputError) port.send({ type: 'error', problem: { file: err.file, message: err.problem } })
        else if (err instanceof ProcessError) port.send({ type: 'error', problem: { file: null, message: err.signal ? err.message : `ffmpeg failed: ${err.message}` } })
        else port.send({ type: 'error', problem: { file: null, message: err instanceof Error ? err.message : String(err) } })
      })
      .finally(() => {
        running = false
        // Only the first job's first decoder may take it.
        warm?.dispose()
        warm = null
      })
  })
}
