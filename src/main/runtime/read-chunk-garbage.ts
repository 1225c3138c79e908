// Every chunk read from an ffmpeg pipe is a new buffer (64 KB), garbage once copied into the
// frame. V8 frees such buffers only when it collects, and it starts late for memory held outside
// its heap: 20-45 MB of read chunks waited in the analysis worker (measured, 640 px keyframes).
// A young-generation collection every 2 MB read frees them at once; with little alive it takes
// well under a millisecond. The analysis worker is started with --expose-gc for this; where `gc`
// is not exposed (the app's main process, tests), nothing happens.

/** Node flags for the analysis worker process. */
export const WORKER_EXEC_ARGV: readonly string[] = ['--expose-gc']

/** Read this much between two collections. */
const COLLECT_EVERY_BYTES = 2 << 20

type GcFunction = (options?: { type?: 'minor' | 'major' }) => void

/** Returns a counter of bytes read that frees the read chunks every COLLECT_EVERY_BYTES. */
export function readChunkCollector(): (bytesRead: number) => void {
  const gc = (globalThis as { gc?: GcFunction }).gc
  if (typeof gc !== 'function') return () => {}
  let pending = 0
  return (bytesRead) => {
    pending += bytesRead
    if (pending < COLLECT_EVERY_BYTES) return
    pending = 0
    gc({ type: 'minor' })
  }
}
