// Plain-words formatting for people who are not engineers.

export function formatDate(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`
  if (seconds < 90) return `${seconds.toFixed(1)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

export function formatDuration(seconds: number | null): string {
  return seconds === null ? 'unknown length' : formatSeconds(seconds)
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`
}

/** The last part of a path, whichever separator the machine that wrote it used. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path
}

export function describeMethod(method: string): string {
  switch (method) {
    case 'occupancy':
      return 'Share of time occupied'
    case 'seed':
      return 'Total change (article method)'
    default:
      return method
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString()
}
