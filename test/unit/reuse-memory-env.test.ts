// The processes that allocate and free frame-sized buffers over and over get glibc's
// keep-freed-memory settings (see reuse-memory-env.ts); other ffmpeg runs keep the defaults.
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nodeWorkerLauncher } from '../../src/main/analysis/host'
import { spawnTool } from '../../src/main/media/processes'
import { REUSE_MEMORY_ENV } from '../../src/main/runtime/reuse-memory-env'

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

  it('reach the analysis worker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dwellmap-env-'))
    const entry = join(dir, 'echo-env.mjs')
    await writeFile(entry, "process.send({ mmap: process.env.MALLOC_MMAP_THRESHOLD_, trim: process.env.MALLOC_TRIM_THRESHOLD_ }, () => process.exit(0))\n")
    const channel = nodeWorkerLauncher(entry)()
    const seen = await new Promise<unknown>((resolve) => channel.onMessage(resolve))
    channel.kill()
    expect(seen).toEqual({ mmap: REUSE_MEMORY_ENV.MALLOC_MMAP_THRESHOLD_, trim: REUSE_MEMORY_ENV.MALLOC_TRIM_THRESHOLD_ })
  })
})
