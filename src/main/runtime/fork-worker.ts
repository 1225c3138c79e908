// How the analysis worker process is forked under plain Node (the CLI, the browser host, tests);
// Electron starts it as a utilityProcess instead (electron/analysis-process.ts).
import { fork, type ChildProcess } from 'node:child_process'
import { WORKER_EXEC_ARGV } from './read-chunk-garbage'
import { workerEnv } from './reuse-memory-env'

/** Forks the worker at `entry` for an analysis at `width`. A .ts entry (tests, development) runs
 *  through tsx. */
export function forkWorker(entry: string, width: 'native' | number): ChildProcess {
  return fork(entry, [], {
    execArgv: [...WORKER_EXEC_ARGV, ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
    env: workerEnv(width)
  })
}
