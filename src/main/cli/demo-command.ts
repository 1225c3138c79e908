// `dwellmap demo` (behind `npm run demo`): two generated days, analysed, then shown in the app.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, resolve } from 'node:path'
import { DEMO_DAYS } from '../footage'
import { analyze } from './analyze-command'
import { generate } from './generate-command'
import { builtPaths } from './paths'
import { serve } from './serve-command'

/** The Electron binary, when this machine has one (its download is optional). */
function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

export async function runDemo(dir: string, open: boolean): Promise<void> {
  const root = resolve(dir)
  const footage = join(root, 'footage')
  const results = join(root, 'results')
  const clips = DEMO_DAYS.every((d) => existsSync(join(footage, `${d.name}.mp4`)))
    ? DEMO_DAYS.map((d) => join(footage, `${d.name}.mp4`))
    : await generate(footage, 'demo', 0)
  for (const clip of clips) {
    const out = join(results, basename(clip, '.mp4'))
    process.stdout.write(`\nAnalysing ${clip}\n`)
    const summary = await analyze([clip], { out, method: 'occupancy', kernel: 'auto' })
    process.stdout.write(`  ${summary.frames.used} frames, ${summary.kernel} kernel, ${summary.timings.totalSeconds.toFixed(1)} s\n  results: ${out}\n`)
  }
  if (!open) return
  const electron = electronBinary()
  if (electron) {
    process.stdout.write('\nOpening the Dwellmap app...\n')
    spawn(electron, [builtPaths.electronMain, `--results=${results}`], { stdio: 'inherit', detached: true }).unref()
    return
  }
  process.stdout.write('\nThe Electron app is not installed on this machine, so the app opens in your browser instead.\n')
  await serve({ results, port: 0 })
}
