// Two analyses of one day, told apart by their every file, for the tests of readers that a new
// analysis may overwrite mid-read (writeResults, as `dwellmap analyze` and the app write them).
import { RESULT_FILES, type Summary } from '../../src/shared/summary'
import { OCCUPANCY_DEFAULTS } from '../../src/shared/settings'
import { writeResults } from '../../src/main/results/write-results'

const WIDTH = 4
const HEIGHT = 2

export interface Analysis {
  summary: Summary
  values: Float32Array
}

/** Every pixel occupied `share` of the time, over one hour of 10 frames of one clip, `clip`. */
function analysis(share: number, createdAt: string, clip: string): Analysis {
  const values = new Float32Array(WIDTH * HEIGHT).fill(share)
  const summary: Summary = {
    dwellmap: 1,
    createdAt,
    inputs: [
      { path: `/footage/${clip}`, bytes: 1000, hash: clip, width: WIDTH, height: HEIGHT, durationSeconds: 3600, fps: 25, codec: 'h264', framesSampled: 10, startedAt: null, startSource: null, status: 'analysed' }
    ],
    settings: OCCUPANCY_DEFAULTS,
    resolved: { sample: 'keyframes', reference: 'median of 31 frames' },
    grid: { width: WIDTH, height: HEIGHT },
    kernel: 'typescript',
    frames: { sampled: 10, used: 10, skipped: 0 },
    hours: [{ start: '2026-03-09T08:00:00', framesUsed: 10, meanShare: share }],
    unit: 'share of sampled frames in which the place was occupied',
    max: share,
    timings: { totalSeconds: 1, referenceSeconds: 0, accumulateSeconds: 1 },
    files: { ...RESULT_FILES }
  }
  return { summary, values }
}

export const FIRST = analysis(0.25, '2026-03-09T18:00:00.000Z', 'first-run.mp4')
export const SECOND = analysis(0.75, '2026-03-10T09:00:00.000Z', 'second-run.mp4')

/** Writes an analysis into `dir` as writeResults does, replacing the one there. */
export function writeAnalysis(dir: string, { values, summary }: Analysis): Promise<void> {
  return writeResults(dir, { width: WIDTH, height: HEIGHT, values, reference: new Uint8Array(WIDTH * HEIGHT).fill(90), hours: values.map((v) => v * 10) }, summary)
}
