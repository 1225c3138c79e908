// The advice under a clip's problem and a failed analysis: the next step for what went wrong,
// rather than the catch-all "check that it plays in a video player".
import { describe, expect, it } from 'vitest'
import { analysisAdvice, clipAdvice } from '../../src/renderer/src/lib/advice'

const GENERIC_CLIP = /plays in a video player/

describe('advice', () => {
  it('sends another camera’s clip to that camera’s project', () => {
    for (const problem of [
      "is 640x480, but most of the day's clips are 768x432 (another camera?), so it is left out",
      "is 640x480, but 1 of the day's 2 clips is 768x432 (another camera?), so it is left out"
    ]) {
      expect(clipAdvice(problem)).toBe('A project is one camera, and all of a day’s clips must show its view. Remove this clip here; if it is from another camera, add it to that camera’s project.')
    }
  })

  it('says a missing file was moved or deleted, and how to bring it back', () => {
    const moved = 'The file was moved or deleted. Put it back, or remove it from the day’s footage and add it again from where it is now.'
    expect(clipAdvice('file not found')).toBe(moved)
    expect(clipAdvice('/footage/cam1.mp4: No such file or directory')).toBe(moved)
    for (const message of ['/footage/cam1_090400.mp4: file not found', '/footage/cam1.mp4: could not be read any more (the file is gone: moved or deleted during the analysis)']) {
      expect(analysisAdvice(message)).toBe(`${moved} Then press Analyse this day again.`)
    }
    // Not a clip: the video tools themselves.
    expect(analysisAdvice('ffmpeg and ffprobe were not found: install ffmpeg (Debian: apt-get install ffmpeg) or set FFMPEG_PATH')).toMatch(/cannot find its video tools/)
  })

  it('keeps the catch-all for what it cannot name', () => {
    expect(clipAdvice('Invalid data found when processing input')).toMatch(GENERIC_CLIP)
  })
})
