// The reason a failed ffmpeg run gives the user: its last line that says what went wrong.
import { describe, expect, it } from 'vitest'
import { lastErrorLine } from '../../src/main/media/processes'

describe('lastErrorLine', () => {
  it('passes over the lines ffmpeg prints as it winds down after the error', () => {
    // What Debian's ffmpeg 5.1 prints for an MP4 whose frames are garbage (-v error).
    const stderr = [
      '[h264 @ 0x5641] Error splitting the input into NAL units.',
      'Error while decoding stream #0:0: Invalid data found when processing input',
      '    Last message repeated 2 times',
      'Cannot determine format of input stream 0:0 after EOF',
      'Error marking filters as finished',
      ''
    ].join('\n')
    expect(lastErrorLine(stderr)).toBe('Error while decoding stream #0:0: Invalid data found when processing input')
  })

  it('keeps a last line that is the reason, and says nothing for nothing', () => {
    expect(lastErrorLine('/x/a.mp4: No such file or directory\n')).toBe('/x/a.mp4: No such file or directory')
    expect(lastErrorLine('Conversion failed!\n')).toBe('')
    expect(lastErrorLine('')).toBe('')
  })
})
