// Environment for processes that allocate and free large buffers over and over: the analysis
// worker on large frames (OpenCV returns a new frame-sized Mat per step) and ffmpeg runs that
// reopen a clip per piece. glibc hands blocks above a (dynamic) threshold back to the kernel
// when freed, so each new one costs a page fault per 4 KB, which is slow on virtual machines. Keeping freed memory
// for reuse measured here (2-core VM): seed at 1080p, 600 frames, 15.8 s -> 5.7 s; 16 concat
// pieces of a 1080p clip 1.22 s -> 0.73 s; a few MB more peak memory. Other C libraries
// ignore these variables.
export const REUSE_MEMORY_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 << 20),
  MALLOC_TRIM_THRESHOLD_: String(128 << 20)
}

export function reuseMemoryEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...REUSE_MEMORY_ENV }
}

/** Grids wider than this make the worker churn through frame-sized buffers of megabytes. */
const LARGE_GRID_WIDTH = 1280

/**
 * The analysis worker's environment: the reuse settings only for large grids. At the default
 * 640 px they bought no time (5 interleaved pairs on the 10-minute bench clip) and kept
 * 8-10 MB more in the worker.
 */
export function workerEnv(width: 'native' | number): NodeJS.ProcessEnv {
  return largeGridEnv(width) ? reuseMemoryEnv() : { ...process.env }
}

/** Whether a worker for this width gets the reuse settings. */
export function largeGridEnv(width: 'native' | number): boolean {
  return width === 'native' || width > LARGE_GRID_WIDTH
}
