// ffmpeg arguments for the H.264 test-pattern clips many tests generate (testsrc2, yuv420p).

export interface TestClip {
  /** WIDTHxHEIGHT */
  size: string
  rate: number
  seconds: number
  /** Frames from one keyframe to the next (at most, unless `fixedGop`). */
  gop: number
  /** Exactly `gop`: no shorter gaps, no keyframes at scene cuts. */
  fixedGop?: boolean
  /** x264's fastest preset (no B-frames); left out, its default (B-frames). */
  ultrafast?: boolean
}

/** The arguments that make `clip` at `path` (overwriting it). */
export function testClipArgs(clip: TestClip, path: string): string[] {
  return [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${clip.size}:rate=${clip.rate}:duration=${clip.seconds}`,
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', ...(clip.ultrafast ? ['-preset', 'ultrafast'] : []), '-g', String(clip.gop),
    ...(clip.fixedGop ? ['-keyint_min', String(clip.gop), '-sc_threshold', '0'] : []), path
  ]
}

/**
 * The arguments that copy `from` to `path` with other bytes (a comment in its metadata): the
 * same footage under another name, which the engine would otherwise refuse as a copy.
 */
export function distinctCopyArgs(from: string, path: string, tag: string): string[] {
  return ['-v', 'error', '-y', '-i', from, '-map', '0', '-c', 'copy', '-metadata', `comment=${tag}`, path]
}
