// The processes that allocate and free frame-sized buffers over and over get glibc's
// keep-freed-memory settings (see reuse-memory-env.ts): the worker on large frames, ffmpeg runs
// that reopen a clip per piece. Others keep the defaults.
import { describe, expect, it } from 'vitest'
import { spawnTool } from '../../src/main/media/processes'
import { REUSE_MEMORY_ENV, workerEnv } from '../../src/main/runtime/reuse-memory-env'
import { valueSeenByWorker } from '../helpers/worker-echo'

async function envOfTool(reuseMemory: boolean): Promise<string> {
  const { child, done } = spawnTool('sh', ['-c', 'printf %s "${MALLOC_MMAP_THRESHOLD_:-unset}"'], { reuseMemory })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  await done
  return out
}

describe('memory reuse settings', () => {
  it('reach a tool spawned for many clip openings, and only such a tool', async () => {
    expect(await envOfTool(true)).toBe(REUSE_MEMORY_ENV.MALLOC_MMAP_THRESHOLD_)
    expect(await envOfTool(false)).toBe('unset')
  })

  it('reach the analysis worker of a native-resolution job, not of one at the default 640 px', async () => {
    const expression = '{ mmap: process.env.MALLOC_MMAP_THRESHOLD_, trim: process.env.MALLOC_TRIM_THRESHOLD_ }'
    expect(await valueSeenByWorker(expression, 'seed')).toEqual({ mmap: REUSE_MEMORY_ENV.MALLOC_MMAP_THRESHOLD_, trim: REUSE_MEMORY_ENV.MALLOC_TRIM_THRESHOLD_ })
    expect(await valueSeenByWorker(expression, 'occupancy')).toEqual({})
  })

  it('are chosen by the width of the analysis grid', () => {
    expect(workerEnv('native').MALLOC_TRIM_THRESHOLD_).toBe(REUSE_MEMORY_ENV.MALLOC_TRIM_THRESHOLD_)
    expect(workerEnv(1920).MALLOC_TRIM_THRESHOLD_).toBe(REUSE_MEMORY_ENV.MALLOC_TRIM_THRESHOLD_)
    expect(workerEnv(640).MALLOC_TRIM_THRESHOLD_).toBeUndefined()
  })
})
