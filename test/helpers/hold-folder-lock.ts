// Holds a projects folder's lock as `dwellmap serve` does, for the lock tests' child processes:
// prints "locked" (or the refusal as the CLI would, exit 1), then waits for SIGINT or SIGTERM and
// exits normally, so the lock is released on the way out. Other signals are left unhandled.
// With "--no-wait" after the folder it holds nothing else open, so it ends by itself.
import { FolderLocked, lockFolder } from '../../src/main/runtime/folder-lock'

const folder = process.argv[2]
try {
  lockFolder(folder)
} catch (error) {
  if (!(error instanceof FolderLocked)) throw error
  process.stderr.write(`dwellmap: ${error.message}\n`)
  process.exit(1)
}
const wait = process.argv[3] !== '--no-wait'
if (wait) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0))
process.stdout.write('locked\n')
if (wait) setInterval(() => undefined, 60_000)
