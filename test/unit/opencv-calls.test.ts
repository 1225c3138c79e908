// The OpenCV kernel's steps run the same on the spot and on the thread pool, and release what
// they hold when a call fails (see opencv-calls.ts). A stand-in addon is enough here.
import { describe, expect, it } from 'vitest'
import { cvCall, runAsync, runSync, type CvSteps } from '../../src/main/analysis/kernels/opencv-calls'

type Done = (err: Error | null, value?: number) => void

const addon = {
  double: (x: number): number => 2 * x,
  doubleAsync: (x: number, done: Done): void => void setTimeout(() => done(null, 2 * x), 1),
  broken: (x: number): number => {
    throw new Error(`broken at ${x}`)
  },
  brokenAsync: (x: number, done: Done): void => void setTimeout(() => done(new Error(`broken at ${x}`)), 1)
}

function* steps(released: string[], fail: boolean): CvSteps<number> {
  const a = (yield cvCall(addon, 'double', 3)) as number
  try {
    const b = (yield cvCall(addon, fail ? 'broken' : 'double', a)) as number
    return a + b
  } finally {
    released.push('held')
  }
}

describe('OpenCV call steps', () => {
  it('give the same result run on the spot and through the async variants', async () => {
    const released: string[] = []
    expect(runSync(steps(released, false))).toBe(18)
    await expect(runAsync(steps(released, false))).resolves.toBe(18)
    expect(released).toEqual(['held', 'held'])
  })

  it('release what they hold when a call fails', async () => {
    const released: string[] = []
    expect(() => runSync(steps(released, true))).toThrow('broken at 6')
    await expect(runAsync(steps(released, true))).rejects.toThrow('broken at 6')
    expect(released).toEqual(['held', 'held'])
  })

  it('run everything before the first call before runAsync returns', () => {
    let copied = false
    function* copyFirst(): CvSteps<number> {
      copied = true
      return (yield cvCall(addon, 'double', 1)) as number
    }
    const pending = runAsync(copyFirst())
    expect(copied).toBe(true)
    return expect(pending).resolves.toBe(2)
  })

  it('say which call the addon lacks', () => {
    function* missing(): CvSteps<number> {
      return (yield cvCall(addon, 'triple', 1)) as number
    }
    expect(() => runSync(missing())).toThrow('the OpenCV addon has no triple')
  })
})
