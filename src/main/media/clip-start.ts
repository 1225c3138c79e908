// When a clip began, in wall-clock time: from the container's creation time, else from an NVR-style
// name (..._20240311080000.mp4, 2024-03-11_08-00-00.mp4), else the file's modification time
// minus its duration.

export type ClipStartSource = 'metadata' | 'file name' | 'file time' | 'given'

export interface ClipStart {
  /** Wall-clock time as milliseconds, read as if it were UTC (CCTV names carry no zone). */
  epochMs: number
  source: ClipStartSource
}

const NAME_PATTERNS: RegExp[] = [
  // 20240311080000 or 20240311_080000 or 20240311-080000
  /(?<!\d)(20\d{2})(\d{2})(\d{2})[_-]?(\d{2})(\d{2})(\d{2})(?!\d)/,
  // 2024-03-11_08-00-00, 2024-03-11 08.00.00, 2024-03-11T08:00:00
  /(?<!\d)(20\d{2})-(\d{2})-(\d{2})[ _T-](\d{2})[-.:](\d{2})[-.:](\d{2})(?!\d)/
]

function validDate(parts: number[]): number | null {
  const [y, mo, d, h, mi, s] = parts
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null
  return Date.UTC(y, mo - 1, d, h, mi, s)
}

export function startFromName(fileName: string): number | null {
  for (const pattern of NAME_PATTERNS) {
    const m = pattern.exec(fileName)
    if (m) {
      const t = validDate(m.slice(1, 7).map(Number))
      if (t !== null) return t
    }
  }
  return null
}

export function startFromMetadata(creationTime: string | undefined): number | null {
  if (!creationTime) return null
  const t = Date.parse(creationTime)
  // Cameras without a clock write 1970 or 2000-01-01: not a real time.
  return Number.isFinite(t) && new Date(t).getUTCFullYear() > 2000 ? t : null
}

/** Real instants (metadata, file times) become this machine's wall-clock time. */
function toWallClock(epochMs: number): number {
  return epochMs - new Date(epochMs).getTimezoneOffset() * 60_000
}

export function clipStart(info: { creationTime?: string; fileName: string; mtimeMs: number; durationSeconds: number | null }): ClipStart {
  const fromMeta = startFromMetadata(info.creationTime)
  if (fromMeta !== null) return { epochMs: toWallClock(fromMeta), source: 'metadata' }
  const fromName = startFromName(info.fileName)
  if (fromName !== null) return { epochMs: fromName, source: 'file name' }
  // A recorder closes the file when the clip ends.
  return { epochMs: toWallClock(info.mtimeMs) - (info.durationSeconds ?? 0) * 1000, source: 'file time' }
}
