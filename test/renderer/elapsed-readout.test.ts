// The clip readout under the timeline ("…, 0:59.90 in"): times into a clip as hundredths, never
// one hundredth short because of floating-point remainders.
import { describe, expect, it } from 'vitest'
import type { Clip } from '../../src/shared/project'
import { describeMoment, formatElapsed, segmentsOf } from '../../src/renderer/src/lib/timeline'

function clip(name: string, durationSeconds: number): Clip {
  return { path: `/footage/${name}.ts`, bytes: 1, width: 320, height: 180, fps: 10, durationSeconds, startedAt: null, startSource: null, problem: null }
}

describe('time into the footage', () => {
  it('names hundredths that floating point leaves just short', () => {
    expect(formatElapsed(59.9, true)).toBe('0:59.90')
    expect(formatElapsed(0.29, true)).toBe('0:00.29')
    expect(formatElapsed(3600 + 61.15, true)).toBe('1:01:01.15')
    // A frame just before a whole second stays before it.
    expect(formatElapsed(59.996, true)).toBe('0:59.99')
    expect(formatElapsed(119.99999999, false)).toBe('2:00')
    expect(formatElapsed(125)).toBe('2:05')
  })

  it('reads the moment in the second clip from the day’s start', () => {
    // 70.3 s into the day is 59.9 s into the second clip, whose part past 59 s is 0.8999….
    const segments = segmentsOf([clip('a', 10.4), clip('b', 60)])
    expect(describeMoment(segments, 70.3).clip).toBe('b.ts, 0:59.90 in')
    expect(describeMoment(segments, 70.3).time).toBe('1:10.30')
  })
})
