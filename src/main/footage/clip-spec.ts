// What a synthetic clip looks like, and the clips the project uses: two demo days, a small clip
// for tests, and long full-HD clips for benchmarks.
import type { Layout } from './layout'

export interface ClipSpec {
  /** File stem: the clip is written to <name>.mp4 and its ground truth to <name>_truth.npy. */
  name: string
  width: number
  height: number
  fps: number
  seconds: number
  /** Keyframe interval. Keyframe-only analysis samples at this rate. */
  gopSeconds: number
  /** Drives who comes in, when, wearing what, and the sensor noise pattern. */
  seed: number
  layout: Layout
  /** Sensor noise: strength of ffmpeg's noise filter (0 = none). Its standard deviation is about
   *  strength / 1.7 grey levels before encoding, which smooths much of it away, as in a real camera. */
  noise: number
  /** Brightness falls slowly by 5 % over the clip, as daylight fades. */
  lightingDrift: boolean
  /** From this second on, everything is 25 % brighter, as if lights were switched on. */
  lightingJumpAtSecond: number | null
  /** Nobody is in view before this second, so frame 0 is a true empty reference. */
  emptyFirstSeconds: number
  /** x264 preset: 'veryfast' for small clips, 'ultrafast' for long full-HD benchmark clips. */
  preset: 'veryfast' | 'ultrafast'
  /** x264 constant rate factor: 23 is x264's default; higher gives smaller, blockier files, as a
   *  CCTV recorder saving disk space does. */
  crf: number
  /** x264 threads. A fixed count keeps the encoded bytes reproducible from run to run. */
  threads: number
}

export function frameCount(spec: ClipSpec): number {
  return Math.round(spec.seconds * spec.fps)
}

export function gopFrames(spec: ClipSpec): number {
  return Math.round(spec.gopSeconds * spec.fps)
}

/** Throws on a spec that ffmpeg or the renderer cannot honour, before anything is spawned. */
export function assertValidSpec(spec: ClipSpec): void {
  const problems: string[] = []
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(spec.name)) problems.push('name must be a plain file stem')
  // yuv420p halves the chroma planes, so both sides must be even.
  for (const [key, value] of [['width', spec.width], ['height', spec.height]] as const) {
    if (!Number.isInteger(value) || value < 16 || value % 2 !== 0) problems.push(`${key} must be an even integer >= 16`)
  }
  if (!Number.isInteger(spec.fps) || spec.fps <= 0) problems.push('fps must be a positive integer')
  if (!(spec.seconds > 0) || frameCount(spec) < 1) problems.push('seconds must give at least one frame')
  if (!(gopFrames(spec) >= 1) || Math.abs(gopFrames(spec) - spec.gopSeconds * spec.fps) > 1e-9) {
    problems.push('gopSeconds * fps must be a whole number of frames')
  }
  if (!(spec.noise >= 0 && spec.noise <= 100)) problems.push('noise must be within 0..100')
  if (!(spec.emptyFirstSeconds >= 0)) problems.push('emptyFirstSeconds must be >= 0')
  if (spec.lightingJumpAtSecond !== null && !(spec.lightingJumpAtSecond >= 0)) problems.push('lightingJumpAtSecond must be >= 0')
  if (!(spec.crf >= 0 && spec.crf <= 51)) problems.push('crf must be within 0..51')
  if (!Number.isInteger(spec.threads) || spec.threads < 1) problems.push('threads must be a positive integer')
  if (problems.length > 0) throw new Error(`invalid clip spec '${spec.name}': ${problems.join('; ')}`)
}

const DEMO_BASE = {
  width: 640,
  height: 360,
  fps: 10,
  seconds: 60,
  gopSeconds: 2,
  noise: 6,
  lightingDrift: true,
  lightingJumpAtSecond: null,
  emptyFirstSeconds: 5,
  preset: 'veryfast',
  crf: 23,
  threads: 1
} as const satisfies Omit<ClipSpec, 'name' | 'seed' | 'layout'>

/** Two days in the same shop: the promotion moved from the left shelf to the right one. */
export const DEMO_DAYS: ClipSpec[] = [
  { ...DEMO_BASE, name: 'day1-before', seed: 1, layout: 'before' },
  { ...DEMO_BASE, name: 'day2-after', seed: 2, layout: 'after' }
]

/** Small and quick: for tests. */
export function testClip(overrides: Partial<ClipSpec> = {}): ClipSpec {
  return {
    name: 'test-clip',
    width: 320,
    height: 180,
    fps: 10,
    seconds: 20,
    gopSeconds: 2,
    seed: 42,
    layout: 'before',
    noise: 4,
    lightingDrift: false,
    lightingJumpAtSecond: null,
    emptyFirstSeconds: 3,
    preset: 'veryfast',
    crf: 23,
    threads: 1,
    ...overrides
  }
}

/** Full HD at 25 fps, as a real camera records, for benchmarks of 10 to 60 minutes. */
export function benchClip(seconds: number): ClipSpec {
  return {
    name: `bench-${seconds}s`,
    width: 1920,
    height: 1080,
    fps: 25,
    seconds,
    gopSeconds: 2,
    seed: 7,
    layout: 'before',
    noise: 5,
    lightingDrift: true,
    lightingJumpAtSecond: null,
    emptyFirstSeconds: 5,
    preset: 'ultrafast',
    // About 2.5 Mbit/s, what a 1080p CCTV recorder typically writes; x264's default CRF 23 spent
    // 17 Mbit/s on sensor noise and took a third longer.
    crf: 25,
    threads: 2
  }
}
