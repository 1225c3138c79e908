import { describe, expect, it } from 'vitest'
import { defaultSettings, describeReference, describeSample, parseReference, parseSample } from '../../src/shared/settings'

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

  it('keeps the seed method the article\'s pipeline', () => {
    expect(defaultSettings('seed')).toMatchObject({ sample: { kind: 'every', n: 5 }, width: 'native', blur: 11, reference: { kind: 'frame', index: 0 } })
    expect(defaultSettings('occupancy').reference).toEqual({ kind: 'auto' })
  })
})
