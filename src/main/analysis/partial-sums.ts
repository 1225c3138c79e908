// The sums of the work already finished: each decode task accumulates into a kernel of its own,
// and only a finished task is merged here. So a checkpoint never holds half a task, and a resumed
// analysis counts every frame exactly once.
import type { Kernel } from './kernels/kernel'

export interface TaskTally {
  sampled: number
  used: number
  usedPerHour: Map<number, number>
  /** Frames sampled, by clip (a batch task covers several clips). */
  sampledPerClip: Map<number, number>
}

export class PartialSums {
  readonly seed: Float64Array
  readonly hours = new Map<number, Float32Array>()
  readonly perClip: number[]
  readonly usedPerHour = new Map<number, number>()
  readonly problems = new Map<number, string>()
  sampled = 0
  used = 0

  constructor(readonly size: number, clipCount: number) {
    this.seed = new Float64Array(size)
    this.perClip = new Array<number>(clipCount).fill(0)
  }

  merge(kernel: Kernel, tally: TaskTally): void {
    kernel.addTo(this.seed, (hour) => {
      let into = this.hours.get(hour)
      if (!into) this.hours.set(hour, (into = new Float32Array(this.size)))
      return into
    })
    for (const [hour, n] of tally.usedPerHour) this.usedPerHour.set(hour, (this.usedPerHour.get(hour) ?? 0) + n)
    this.sampled += tally.sampled
    this.used += tally.used
    for (const [clip, n] of tally.sampledPerClip) this.perClip[clip] += n
  }

  /** Seed: the summed differences; occupancy: occupied-frame counts over all hours. */
  totals(): Float64Array {
    if (this.hours.size === 0) return this.seed
    const total = new Float64Array(this.size)
    for (const counts of this.hours.values()) for (let i = 0; i < this.size; i++) total[i] += counts[i]
    return total
  }
}
