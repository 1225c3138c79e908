// The values each CLI option accepts stay those the analysis, the server and the generator take:
// checking them as the options are read (for a plain usage line) refuses no more and no less.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { blurValue, portValue, referenceValue, sampleValue, secondsValue, startValue, thresholdValue, widthValue } from '../../src/main/cli/option-values'

describe('option values', () => {
  it('reads each option\'s edge values as before', () => {
    expect(['native', '16', '8192', '640.0', '0x280', ' 640'].map(widthValue)).toEqual(['native', 16, 8192, 640, 640, 640])
    expect(['1', '11', '5.0'].map(blurValue)).toEqual([1, 11, 5])
    expect(['0', '255', '12.5'].map(thresholdValue)).toEqual([0, 255, 12.5])
    expect(['auto', 'keyframes', 'every:1', 'fps:0.5'].map(sampleValue)).toEqual([{ kind: 'auto' }, { kind: 'keyframes' }, { kind: 'every', n: 1 }, { kind: 'fps', fps: 0.5 }])
    expect(['auto', 'frame:0', 'time:1.5', 'empty.png', ''].map(referenceValue)).toEqual([
      { kind: 'auto' }, { kind: 'frame', index: 0 }, { kind: 'time', seconds: 1.5 }, { kind: 'image', path: resolve('empty.png') }, { kind: 'image', path: resolve('') }
    ])
    expect(['2026-03-09T08:00:00', '2026-03-09T08:00'].map(startValue)).toEqual(['2026-03-09T08:00:00', '2026-03-09T08:00'])
    expect(['0', '65535'].map(portValue)).toEqual([0, 65535])
    expect(['0.02', '600'].map(secondsValue)).toEqual([0.02, 600])
  })

  it('says what is allowed, not what the schema said', () => {
    expect(() => widthValue('15')).toThrow(/^a number of pixels from 16 to 8192, or native$/)
    expect(() => thresholdValue('256')).toThrow(/^a grey level from 0 to 255$/)
  })
})
