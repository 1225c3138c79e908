// An empty scene made from the footage itself: the per-pixel median of frames spread over the
// whole day. People move, the shop does not, so the median keeps the shop and drops the people.

/** Median of each pixel across frames, by counting: O(pixels x frames), no sorting. */
export function medianImage(frames: Uint8Array[], size: number): Uint8Array {
  if (frames.length === 0) throw new Error('no frames to build a background from')
  const out = new Uint8Array(size)
  const half = Math.floor((frames.length - 1) / 2)
  const counts = new Uint16Array(256)
  for (let i = 0; i < size; i++) {
    counts.fill(0)
    for (const f of frames) counts[f[i]]++
    let seen = 0
    let v = 0
    while (seen + counts[v] <= half) seen += counts[v++]
    out[i] = v
  }
  return out
}

/** Times (seconds within each clip) spread evenly across a day made of several clips. */
export function spreadSampleTimes(durations: number[], count: number): Array<{ clip: number; seconds: number }> {
  const total = durations.reduce((a, b) => a + b, 0)
  const times: Array<{ clip: number; seconds: number }> = []
  for (let k = 0; k < count; k++) {
    let t = ((k + 0.5) / count) * total
    let clip = 0
    while (clip < durations.length - 1 && t >= durations[clip]) t -= durations[clip++]
    times.push({ clip, seconds: Math.min(t, Math.max(0, durations[clip] - 0.05)) })
  }
  return times
}
