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

  it('takes keyframe indexes from the host only with the probe of the same input', () => {
    const probe = {
      path: '/day/a.mp4', bytes: 10, width: 320, height: 180, fps: 25, durationSeconds: 4, frameCount: 100, codec: 'h264',
      startTime: 0, mtimeMs: 1, keyframeGap: 1
    }
    const index = { codec: 'h264', parameterSets: 'AAAAAWdC', lengthSize: 4, keyframes: [{ offset: 48, size: 900, seconds: 0 }] }
    const job = (extra: object) => AnalysisJobSchema.safeParse({
      inputs: ['/day/a.mp4', '/day/b.mkv'], outDir: '/out', settings: defaultSettings('occupancy'), ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', ...extra
    }).success
    expect(job({ probes: [probe, null], indexes: [index, null] })).toBe(true)
    expect(job({ probes: [probe, null] })).toBe(true)
    // An index without its probe (nothing to tell whether the file changed), or misaligned.
    expect(job({ indexes: [index, null] })).toBe(false)
    expect(job({ probes: [null, null], indexes: [index, null] })).toBe(false)
    expect(job({ probes: [probe, null], indexes: [index] })).toBe(false)
    // Malformed: not base64, a length prefix NAL units cannot have, no keyframe.
    expect(job({ probes: [probe, null], indexes: [{ ...index, parameterSets: 'not base64!' }, null] })).toBe(false)
    expect(job({ probes: [probe, null], indexes: [{ ...index, lengthSize: 3 }, null] })).toBe(false)
    expect(job({ probes: [probe, null], indexes: [{ ...index, keyframes: [] }, null] })).toBe(false)
  })

  it('keeps the seed method the article\'s pipeline', () => {
    expect(defaultSettings('seed')).toMatchObject({ sample: { kind: 'every', n: 5 }, width: 'native', blur: 11, reference: { kind: 'frame', index: 0 } })
    expect(defaultSettings('occupancy').reference).toEqual({ kind: 'auto' })
  })
})
