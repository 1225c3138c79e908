// The `dwellmap` command's entry: an analysis's worker is forked first (early-worker.ts), then the
// commands load.
import { forkEarlyWorker } from './early-worker'

forkEarlyWorker(process.argv)
await import('./commands')
