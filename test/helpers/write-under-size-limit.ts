// Writes `bytes` bytes over a file with the atomic writer, for the tests that run it under a file
// size limit (`ulimit -f`): a write that crosses the limit is cut short, and the next one fails
// with EFBIG, as on a disk that fills up (ENOSPC). Prints {"ok":true} or {"code":...}.
// Usage: node --import tsx write-under-size-limit.ts async|sync <file> <bytes>
import { writeFileAtomic, writeFileAtomicSync } from '../../src/main/runtime/atomic-write'

// The failing write also raises SIGXFSZ, which Node ignores; this listener keeps it harmless
// whatever a writer installs (write-file-atomic's signal-exit re-raised it, ending the process),
// so that a writer is judged by what it answers and leaves, as on a full disk.
process.on('SIGXFSZ', () => {})

const [mode, file, bytes] = process.argv.slice(2)
const data = Buffer.alloc(Number(bytes), 'a')
try {
  if (mode === 'sync') writeFileAtomicSync(file, data)
  else await writeFileAtomic(file, data)
  process.stdout.write(JSON.stringify({ ok: true }) + '\n')
} catch (error) {
  process.stdout.write(JSON.stringify({ code: (error as NodeJS.ErrnoException).code ?? String(error) }) + '\n')
}
