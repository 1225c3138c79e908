// How a running analysis shows itself on a terminal: a progress bar for people, JSON lines
// for scripts (--json), nothing in between.
import cliProgress from 'cli-progress'
import type { Problem, Progress } from '../../shared/worker-protocol'

export interface ProgressView {
  progress(p: Progress): void
  warning(p: Problem): void
  stop(): void
}

export function problemLine(p: Problem): string {
  return p.file ? `${p.file}: ${p.message}` : p.message
}

/** What the bar counts: the files while they are probed, the frames after. */
export function barCounts(p: Progress): { value: number; total: number; unit: 'files' | 'frames' } {
  if (p.files) return { value: p.files.done, total: p.files.total, unit: 'files' }
  return { value: p.framesDone, total: p.framesTotal ?? Math.max(p.framesDone, 1), unit: 'frames' }
}

export function jsonView(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): ProgressView {
  return {
    progress: (progress) => write(JSON.stringify({ type: 'progress', ...progress })),
    warning: (problem) => write(JSON.stringify({ type: 'warning', ...problem })),
    stop: () => {}
  }
}

export function terminalView(): ProgressView {
  // Without a terminal (CI logs, pipes) a redrawn bar is noise: print warnings only.
  if (!process.stderr.isTTY) {
    return { progress: () => {}, warning: (p) => process.stderr.write(`warning: ${problemLine(p)}\n`), stop: () => {} }
  }
  const bar = new cliProgress.SingleBar(
    {
      format: ' {stage} |{bar}| {value}/{total} {unit} | {speed} frames/s | {eta_text} left',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true
    },
    cliProgress.Presets.shades_classic
  )
  let started = false
  return {
    progress(p) {
      const { value, total, unit } = barCounts(p)
      const payload = { stage: p.stage.padEnd(12), unit, speed: p.fps.toFixed(0), eta_text: p.etaSeconds === null ? '?' : `${Math.ceil(p.etaSeconds)} s` }
      if (!started) {
        bar.start(total, value, payload)
        started = true
      } else {
        bar.setTotal(total)
        bar.update(value, payload)
      }
    },
    warning(p) {
      if (started) bar.stop()
      started = false
      process.stderr.write(`warning: ${problemLine(p)}\n`)
    },
    stop() {
      if (started) bar.stop()
    }
  }
}
