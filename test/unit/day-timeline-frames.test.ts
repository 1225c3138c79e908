// A moment of the day named by its clip and clip time, and placed back on a changed timeline:
// how a picked empty-scene frame follows its clip when the day's clips change.
import { describe, expect, it } from 'vitest'
import type { Clip } from '../../src/shared/project'
import { dayTimeline, frameAt, momentOf } from '../../src/main/services/day-timeline'

function clip(name: string, overrides: Partial<Clip> = {}): Clip {
  return {
    path: `/footage/${name}.mp4`, bytes: 1000, width: 640, height: 360, fps: 10, durationSeconds: 20,
    startedAt: null, startSource: null, problem: null, ...overrides
  }
}

describe('clip frames', () => {
  const a = clip('a')
  const b = clip('b')
  const c = clip('c')

  it('names a moment by its clip and clip time, or not at all when the day has no such moment', () => {
    const timeline = dayTimeline([a, b])
    expect(frameAt(timeline, 25, 'Monday')).toEqual({ path: b.path, clipSeconds: 5 })
    expect(frameAt(timeline, 40, 'Monday')).toEqual({ path: b.path, clipSeconds: expect.closeTo(19.9, 6) as number })
    expect(frameAt(timeline, 41, 'Monday')).toBeNull()
    expect(frameAt(dayTimeline([]), 0, 'Monday')).toBeNull()
  })

  it('places a clip frame on another timeline of the day', () => {
    const frame = { path: b.path, clipSeconds: 5 }
    expect(momentOf(dayTimeline([c, a, b]), frame)).toBe(45)
    expect(momentOf(dayTimeline([b, a]), frame)).toBe(5)
    // Gone, left out (another camera) or of unknown length: no moment shows it.
    expect(momentOf(dayTimeline([a, c]), frame)).toBeNull()
    expect(momentOf(dayTimeline([a, { ...b, problem: 'is 320x180, but…' }]), frame)).toBeNull()
    expect(momentOf(dayTimeline([a, { ...b, durationSeconds: null }]), frame)).toBeNull()
  })

  it('gives back the same frame at the moment it places it', () => {
    const timeline = dayTimeline([clip('x', { durationSeconds: 0.1 }), clip('y', { durationSeconds: 7.3 }), b])
    const frame = { path: b.path, clipSeconds: 0 }
    expect(frameAt(timeline, momentOf(timeline, frame)!, 'Monday')).toEqual(frame)
  })
})
