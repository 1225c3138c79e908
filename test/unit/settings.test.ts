import { describe, expect, it } from 'vitest'
import { defaultSettings, describeReference, describeSample, parseReference, parseSample } from '../../src/shared/settings'
import { AnalysisJobSchema } from '../../src/shared/worker-protocol'

describe('settings', () => {
  it('parses the CLI spellings of a reference', () => {
    expect(parseReference('auto')).toEqual({ kind: 'auto' })
    expect(parseReference('frame:12')).toEqual({ kind: 'frame', index: 12 })
    expect(parseReference('time:3.5')).toEqual({ kind: 'time', seconds: 3.5 })
    expect(parseReference('empty.png')).toEqual({ kind: 'image', path: 'empty.png' })
    expect(() => parseReference('frame:x')).toThrow(/frame:N/)
    expect(describeReference(parseReference('time:3.5'))).toBe('time:3.5')
  })

  it('parses the CLI spellings of sampling', () => {
    expect(parseSample('every:5')).toEqual({ kind: 'every', n: 5 })
    expect(parseSample('fps:0.5')).toEqual({ kind: 'fps', fps: 0.5 })
    expect(parseSample('keyframes')).toEqual({ kind: 'keyframes' })
    expect(() => parseSample('every:0')).toThrow(/invalid sampling/)
    expect(() => parseSample('often')).toThrow(/invalid sampling/)
    expect(describeSample(parseSample('every:5'))).toBe('every:5')
  })

  it('takes a start time only when it names a real moment', () => {
    const start = AnalysisJobSchema.shape.start
    for (const ok of ['2026-03-09T08:00:00', '2024-02-29T10:00', '2026-12-31T23:59:59']) expect(start.safeParse(ok).success).toBe(true)
    for (const bad of ['2024-13-45T99:00:00', '2023-02-29T10:00', '2026-03-09T24:00', '2026-03-09T08:60', '2026-03-09 08:00', 'yesterday']) expect(start.safeParse(bad).success).toBe(false)
  })

  it('keeps the seed method the article\'s pipeline', () => {
    expect(defaultSettings('seed')).toMatchObject({ sample: { kind: 'every', n: 5 }, width: 'native', blur: 11, reference: { kind: 'frame', index: 0 } })
    expect(defaultSettings('occupancy').reference).toEqual({ kind: 'auto' })
  })
})
