import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Checkpoint } from '../../src/main/analysis/checkpoint'
import { PartialSums } from '../../src/main/analysis/partial-sums'

let dir: string
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'dwellmap-checkpoint-')) })
afterEach(async () => { await rm(dir, { recursive: true, force: true }) })

/** Sums as if `tasks` tasks of one frame each had been merged, each adding 1 to hour 0. */
function sumsAfter(tasks: number, size: number): PartialSums {
  const sums = new PartialSums(size, 1)
  sums.hours.set(0, new Float32Array(size).fill(tasks))
  sums.sampled = sums.used = sums.perClip[0] = tasks
  sums.usedPerHour.set(0, tasks)
  return sums
}

describe('Checkpoint', () => {
  it('restores what it saved', async () => {
    const sums = sumsAfter(3, 16)
    sums.problems.set(0, 'broke part-way')
    const cp = new Checkpoint(dir, 'k')
    await cp.save(sums, new Set(['0@0', '0@10', '0@20']))
    const back = await cp.load(16, 1)
    expect(back?.done).toEqual(new Set(['0@0', '0@10', '0@20']))
    expect([...back!.sums.hours.get(0)!]).toEqual(new Array(16).fill(3))
    expect(back!.sums.sampled).toBe(3)
    expect(back!.sums.problems.get(0)).toBe('broke part-way')
    expect(await new Checkpoint(dir, 'another analysis').load(16, 1)).toBeNull()
  })

  it('saves one moment: a task finishing while the files are written is not half in it', async () => {
    // Tasks run side by side: one may merge its sums while another's save is still writing.
    const size = 1 << 16
    const sums = sumsAfter(1, size)
    const done = new Set(['0@0'])
    const cp = new Checkpoint(dir, 'k')
    let saved = false
    const saving = cp.save(sums, done).then(() => (saved = true))
    // Other tasks finish, one per turn of the event loop, until the save is on disk.
    for (let tasks = 2; !saved; tasks++) {
      await new Promise((r) => setImmediate(r))
      sums.hours.get(0)!.fill(tasks)
      sums.sampled = sums.used = sums.perClip[0] = tasks
      sums.usedPerHour.set(0, tasks)
      done.add(`0@${tasks}`)
    }
    await saving
    const back = await cp.load(size, 1)
    // Either moment is consistent; the sums of one with the task list of the other is not.
    const tasks = back!.done.size
    expect(back!.sums.sampled).toBe(tasks)
    expect(back!.sums.perClip[0]).toBe(tasks)
    expect(back!.sums.hours.get(0)![size - 1]).toBe(tasks)
  })
})
