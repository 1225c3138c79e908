// How far apart keyframes are, read from packet flags (no decoding, so it is quick), or for a
// bare H.264/HEVC stream, whose packets have no time, from its NAL units.
import { scanAnnexB, type AnnexBCodec } from './annexb-scan'
import { ProcessError, runTool } from './processes'

export async function keyframeGapSeconds(ffprobe: string, path: string, signal?: AbortSignal): Promise<number | null> {
  const { stdout } = await runTool(
    ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', ...KEYFRAME_PACKETS_ARGS, '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', path],
    signal
  )
  const keyframes = stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.includes('K'))
    .map((line) => Number(line.split(',')[0]))
  return meanGap(keyframes)
}

/** The packets a probe lists to find the keyframe spacing: those of the first two minutes. */
export const KEYFRAME_PACKETS_SECONDS = 120
export const KEYFRAME_PACKETS_ARGS: readonly string[] = ['-read_intervals', `%+${KEYFRAME_PACKETS_SECONDS}`]

/** Mean spacing of keyframe times (s), or null with fewer than three. */
export function meanGap(keyframeTimes: number[]): number | null {
  const times = keyframeTimes.filter(Number.isFinite)
  if (times.length < 3) return null
  return (times.at(-1)! - times[0]) / (times.length - 1)
}

/**
 * A bare H.264/HEVC stream's keyframe spacing over its first two minutes, as a container's
 * packets give it, counted at the rate ffmpeg gives its frames; with `whole`, also the frames of
 * the whole file (null when none, or when the scan could not read the file: ffprobe could).
 */
export async function scanRawStream(
  path: string, codec: AnnexBCodec, fps: number | null, options: { whole: boolean; signal?: AbortSignal }
): Promise<{ frames: number | null; keyframeGap: number | null }> {
  const within = fps ? Math.round(KEYFRAME_PACKETS_SECONDS * fps) + 1 : 0
  try {
    const scan = await scanAnnexB(path, codec, { keyframesWithin: within, ...(options.whole ? {} : { frames: within }), signal: options.signal })
    return {
      frames: options.whole && scan.frames > 0 ? scan.frames : null,
      keyframeGap: fps ? meanGap(scan.keyframes.map((k) => k / fps)) : null
    }
  } catch (err) {
    if (err instanceof ProcessError) throw err
    return { frames: null, keyframeGap: null }
  }
}
