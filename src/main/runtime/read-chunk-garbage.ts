// Every chunk read from an ffmpeg pipe is a new buffer (64 KB), garbage once copied into the
// frame. V8 frees such buffers only when it collects, and it starts late for memory held outside
// its heap: 20-45 MB of read chunks waited in the analysis worker (measured, 640 px keyframes).
// A young-generation collection every 2 MB read frees them at once; with little alive it takes
// well under a millisecond. The analysis worker is started with --expose-gc for this; where `gc`
// is not exposed (the app's main process, tests), nothing happens.

/**
 * Node flags for the analysis worker process: `gc` exposed (above), and a young generation of
 * 1 MB semi-spaces. Left to grow (to 16 MB each), it took the worker from ~100 to ~115 MB over
 * the 60-minute bench clip with ~10 MB alive; capped, ~98-102 MB (94 scavenges of 0.3-2.5 ms
 * instead of 15): the process tree's peak 251-253 -> 239-242 MB, the default run no slower.
 */
export const WORKER_EXEC_ARGV: readonly string[] = ['--expose-gc', '--max-semi-space-size=1']

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
