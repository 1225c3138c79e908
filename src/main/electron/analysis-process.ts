// The analysis worker as an Electron utility process (a Node process Chromium manages, so it
// does not block the window): the same worker and protocol as child_process.fork under Node.
import { utilityProcess } from 'electron'
import type { WorkerLauncher } from '../analysis/host'
import { workerStartEnv, workerStartFor } from '../runtime/fork-worker'
import { WORKER_EXEC_ARGV } from '../runtime/read-chunk-garbage'

/** `workerPath` is the built out/main/worker.js, next to the main bundle. */
export function utilityWorkerLauncher(workerPath: string): WorkerLauncher {
  return (job) => {
    const child = utilityProcess.fork(workerPath, [], {
      serviceName: 'Dwellmap analysis',
      stdio: 'inherit',
      env: workerStartEnv(workerStartFor(job)),
      execArgv: [...WORKER_EXEC_ARGV]
    })
    let alive = true
    child.once('exit', () => {
      alive = false
    })
    return {
      // Messages posted before the process is up are queued by Electron.
      send: (message) => {
        if (alive) child.postMessage(message)
      },
      onMessage: (listener) => {
        child.on('message', listener)
      },
      onExit: (listener) => {
        child.on('exit', (code) => listener(`exit code ${code}`))
      },
      kill: () => {
        if (alive) child.kill()
      }
    }
  }
}
