// Ground-truth occupancy from MOTChallenge box files (../shared/footage/*_gt.txt).
import { readFile } from 'node:fs/promises'

/** Share of frames in which each pixel lies inside some person box. */
export async function occupancyFromBoxes(path: string, width: number, height: number, frames: number): Promise<Float64Array> {
  const byFrame = new Map<number, number[][]>()
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    const f = line.split(',').map(Number)
    if (f.length < 6 || !Number.isFinite(f[0])) continue
    const list = byFrame.get(f[0]) ?? []
    list.push(f.slice(2, 6))
    byFrame.set(f[0], list)
  }
  const share = new Float64Array(width * height)
  const covered = new Uint8Array(width * height)
  for (let frame = 1; frame <= frames; frame++) {
    covered.fill(0)
    for (const [l, t, w, h] of byFrame.get(frame) ?? []) {
      for (let y = Math.max(0, Math.round(t)); y < Math.min(height, Math.round(t + h)); y++) {
        for (let x = Math.max(0, Math.round(l)); x < Math.min(width, Math.round(l + w)); x++) covered[y * width + x] = 1
      }
    }
    for (let i = 0; i < share.length; i++) share[i] += covered[i]
  }
  return share.map((v) => v / frames)
}
