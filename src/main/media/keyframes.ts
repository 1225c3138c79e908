// How far apart keyframes are, read from packet flags (no decoding, so it is quick).
import { runTool } from './processes'

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
export const KEYFRAME_PACKETS_ARGS: readonly string[] = ['-read_intervals', '%+120']

/** Mean spacing of keyframe times (s), or null with fewer than three. */
export function meanGap(keyframeTimes: number[]): number | null {
  const times = keyframeTimes.filter(Number.isFinite)
  if (times.length < 3) return null
  return (times.at(-1)! - times[0]) / (times.length - 1)
}
