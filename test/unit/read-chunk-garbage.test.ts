// The analysis worker frees the buffers of pipe reads as it goes (see read-chunk-garbage.ts).
import { afterEach, describe, expect, it } from 'vitest'
import { readChunkCollector } from '../../src/main/runtime/read-chunk-garbage'
import { valueSeenByWorker } from '../helpers/worker-echo'

const globals = globalThis as { gc?: unknown }
const original = globals.gc

afterEach(() => {
  globals.gc = original
})

describe('read chunk collector', () => {
  it('runs a young-generation collection once per 2 MB read', () => {
    const calls: unknown[] = []
    globals.gc = (options: unknown) => calls.push(options)
    const collect = readChunkCollector()
    for (let i = 0; i < 31; i++) collect(65536)
    expect(calls).toEqual([])
    collect(65536)
    expect(calls).toEqual([{ type: 'minor' }])
    for (let i = 0; i < 64; i++) collect(65536)
    expect(calls).toHaveLength(3)
  })

  it('does nothing where gc is not exposed', () => {
    globals.gc = undefined
    const collect = readChunkCollector()
    expect(() => {
      for (let i = 0; i < 100; i++) collect(1 << 20)
    }).not.toThrow()
  })

  it('has gc exposed in the analysis worker', async () => {
    expect(await valueSeenByWorker('{ gc: typeof globalThis.gc }')).toEqual({ gc: 'function' })
  })

  it('keeps the analysis worker\'s young generation small while much survives it', async () => {
    // Three million live objects: left to itself V8 grows the new space to 32 MB here.
    const seen = await valueSeenByWorker(`await (async () => {
      const v8 = await import('node:v8')
      const keep = []
      for (let i = 0; i < 3e6; i++) keep.push({ i })
      return { newSpace: v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size, kept: keep.length }
    })()`)
    expect(seen).toMatchObject({ kept: 3e6 })
    expect((seen as { newSpace: number }).newSpace).toBeLessThanOrEqual(2 << 20)
  })
})
