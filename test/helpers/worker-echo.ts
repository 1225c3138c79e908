// Starts a stand-in worker through the real Node launcher and returns the first thing it sends:
// for checking what the launcher gives the worker process (environment, flags).
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeWorkerLauncher } from '../../src/main/analysis/host'
import { defaultSettings, type Method } from '../../src/shared/settings'

/** `expression` is evaluated in the worker started for a job of this method; its value comes back. */
export async function valueSeenByWorker(expression: string, method: Method = 'occupancy'): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'dwellmap-worker-echo-'))
  const entry = join(dir, 'echo.mjs')
  await writeFile(entry, `process.send(${expression}, () => process.exit(0))\n`)
  const channel = nodeWorkerLauncher(entry)({ inputs: [], outDir: dir, settings: defaultSettings(method), ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', kernel: 'auto' })
  const seen = await new Promise<unknown>((resolve) => channel.onMessage(resolve))
  channel.kill()
  return seen
}
