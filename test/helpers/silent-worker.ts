// A worker that never answers, except to a cancel: an analysis stays 'running' (in project.json
// too, as when the app is killed mid-run) until it is cancelled.
import type { WorkerLauncher } from '../../src/main/analysis/host'

export const silentWorker: WorkerLauncher = () => {
  let listener: (data: unknown) => void = () => {}
  return {
    send: (m) => m.type === 'cancel' && listener({ type: 'cancelled' }),
    onMessage: (l) => {
      listener = l
    },
    onExit: () => {},
    kill: () => {}
  }
}
