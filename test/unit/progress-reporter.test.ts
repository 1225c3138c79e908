// The accumulation's speed and time left count only the frames decoded in this run: a resumed
// run's frames restored from the checkpoint were decoded earlier, in no time of this run's.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { progressReporter } from '../../src/main/analysis/run-analysis'
import type { Progress } from '../../src/shared/worker-protocol'

afterEach(() => {
  vi.restoreAllMocks()
})

function reporterAt(framesTotal: number | null, restored?: number) {
  let now = 1000
  vi.spyOn(performance, 'now').mockImplementation(() => now)
  const sent: Progress[] = []
  const report = progressReporter({ progress: (p) => sent.push(p) }, framesTotal, restored)
  return {
    sent,
    after(seconds: number, framesDone: number) {
      now += seconds * 1000
      report(framesDone)
    }
  }
}

describe('progress of the accumulation', () => {
  it('counts the speed over the frames decoded in this run', () => {
    const run = reporterAt(4000)
    run.after(2, 400)
    expect(run.sent.at(-1)).toMatchObject({ framesDone: 400, framesTotal: 4000, fps: 200, etaSeconds: 18, stage: 'accumulating' })
  })

  it('leaves the frames restored from the checkpoint out of the speed after a resume', () => {
    // 2000 frames restored; 200 decoded in the first second of this run.
    const run = reporterAt(4000, 2000)
    run.after(1, 2200)
    expect(run.sent.at(-1)).toMatchObject({ framesDone: 2200, framesTotal: 4000, fps: 200, etaSeconds: 9 })
    run.after(1, 2400)
    expect(run.sent.at(-1)).toMatchObject({ framesDone: 2400, fps: 200, etaSeconds: 8 })
  })

  it('says no time left while the total is unknown', () => {
    const run = reporterAt(null, 100)
    run.after(1, 150)
    expect(run.sent.at(-1)).toMatchObject({ fps: 50, etaSeconds: null })
  })
})
