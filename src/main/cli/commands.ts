// The `dwellmap` commands. Every failure ends as one plain line on stderr and a non-zero exit.
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { Command, CommanderError, Option } from 'commander'
import type { Summary } from '../../shared/summary'
import { AnalysisCancelled, AnalysisError } from '../analysis/host'
import type { AnalyzeOptions } from './analyze-command'
import type { Preset } from './generate-command'
import { builtPaths, DEFAULT_PROJECTS_DIR } from './paths'
import { blurValue, oneOf, portValue, referenceValue, sampleValue, secondsValue, startValue, thresholdValue, widthValue } from './option-values'
import { problemLine } from './progress-view'
import type { ServeOptions } from './serve-command'

// Each command loads its own modules when it runs: `analyze` does not pay for the web server
// or the footage generator at start-up.

// A reader that stops early (`dwellmap analyze --json | head -1`) closes stdout: end quietly,
// as Unix tools do, instead of with a stack trace. The worker sees its host go and stops too.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(141)
  fail(`cannot write the output (${err.message})`)
})

function fail(message: string, code = 1): never {
  process.stderr.write(`dwellmap: ${message}\n`)
  process.exit(code)
}

/**
 * Ctrl-C or a shutdown cancels the analysis: the worker (which the terminal's Ctrl-C reaches too)
 * keeps what it finished for the next run. A second Ctrl-C leaves at once.
 */
function stopOnSignals(): AbortSignal {
  const stop = new AbortController()
  const onSignal = (code: number) => (): void => {
    if (stop.signal.aborted) process.exit(code)
    stop.abort()
  }
  process.on('SIGINT', onSignal(130))
  process.on('SIGTERM', onSignal(143))
  return stop.signal
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(builtPaths.projectRoot, 'package.json'), 'utf8')) as { version: string }).version
}

function printResult(summary: Summary, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ type: 'done', summary }) + '\n')
    return
  }
  const files = Object.values(summary.files).filter((f): f is string => f !== null)
  process.stdout.write(
    [
      `Analysed ${summary.frames.used} frames (${summary.frames.skipped} skipped) with the ${summary.kernel} kernel in ${summary.timings.totalSeconds.toFixed(1)} s.`,
      ...files.map((f) => `  ${basename(f).padEnd(13)} ${f}`),
      ''
    ].join('\n')
  )
}

/**
 * A usage mistake is one line too, with where the options are rather than the whole help. A bad
 * option value already says what is allowed (option-values.ts): the line names the option and the
 * value instead of in commander's words.
 */
function usageLine(text: string): string {
  const said = text.trim().replace(/^error: /, '')
  const bad = /^option '.*?(--[\w-]+)[^']*' argument '(.*)' is invalid\. (.*)$/s.exec(said)
  if (bad) return `invalid ${bad[1]} ${JSON.stringify(bad[2])}: ${bad[3]}`
  return `${said.replace(/\s*\n\s*/g, ' ')} (add --help to see the options)`
}

const program = new Command()
  .name('dwellmap')
  .description('Where people spend their time: heatmaps of dwell time from fixed-camera footage.')
  .version(packageVersion(), '-V, --version', 'print the version')
  .configureOutput({ outputError: (text, write) => write(`dwellmap: ${usageLine(text)}\n`) })
  .exitOverride()

program
  .command('analyze')
  .description('analyse the clips of one day and write heatmap.npy, heatmap.png, background.png and summary.json')
  .argument('<video...>', 'video files of one day, in time order')
  .requiredOption('-o, --out <dir>', 'directory for the result files (created if missing)')
  .addOption(oneOf(new Option('-m, --method <method>', 'seed: the article\'s summed difference; occupancy: share of time each place is occupied'), ['occupancy', 'seed']).default('occupancy'))
  .option('-r, --reference <ref>', 'empty-scene reference: auto (median of the day), frame:N, time:SECONDS, or an image file (default: auto; seed: frame:0)', referenceValue)
  .option('-s, --sample <how>', 'which frames to use: auto, every:N, fps:X or keyframes (default: auto; seed: every:5)', sampleValue)
  .option('-w, --width <px>', 'analysis width in pixels, or native (default: 640; seed: native)', widthValue)
  .option('--blur <px>', 'box blur size in pixels at 640 px wide, odd (default: 5; seed: 11)', blurValue)
  .option('-t, --threshold <level>', 'grey-level change (0-255) that counts as a person (occupancy, default: 20)', thresholdValue)
  .option('--mask <png>', 'image the size of the picture: white areas are ignored')
  .addOption(oneOf(new Option('--kernel <kernel>', 'accumulation kernel'), ['auto', 'opencv', 'typescript']).default('auto'))
  .option('--start <time>', 'wall-clock start of the first clip, YYYY-MM-DDTHH:MM:SS (default: from the files)', startValue)
  .option('--ffmpeg <path>', 'ffmpeg binary to use (default: FFMPEG_PATH, the bundled ffmpeg, then PATH)')
  .option('--json', 'print progress and the result as JSON lines')
  .action(async (videos: string[], options: AnalyzeOptions) => {
    const { analyze } = await import('./analyze-command')
    const summary = await analyze(videos, options, stopOnSignals())
    printResult(summary, options.json === true)
  })

program
  .command('compare')
  .description('compare two analysed days: difference (B - A) as difference.npy, difference.png and report.html')
  .argument('<resultA>', 'result directory of the first day (the "before")')
  .argument('<resultB>', 'result directory of the second day (the "after")')
  .requiredOption('-o, --out <dir>', 'directory for the comparison files')
  .option('--json', 'print the comparison summary as JSON')
  .action(async (a: string, b: string, o: { out: string; json?: boolean }) => {
    const { compareResults } = await import('../results/compare-results')
    const summary = await compareResults(a, b, o.out)
    if (o.json) process.stdout.write(JSON.stringify({ type: 'done', summary }) + '\n')
    else process.stdout.write(`Compared ${summary.b} with ${summary.a}.\n  difference.npy  ${summary.files.differenceNpy}\n  difference.png  ${summary.files.differencePng}\n  report.html     ${summary.files.reportHtml}\n`)
  })

program
  .command('serve')
  .description('open the Dwellmap app in a browser, served on 127.0.0.1 only')
  .option('--projects <dir>', 'directory of Dwellmap projects', DEFAULT_PROJECTS_DIR)
  .option('--results <dir>', 'directory of `dwellmap analyze` results to show', 'dwellmap-results')
  .addOption(new Option('-p, --port <port>', 'port').argParser(portValue).default(0, 'a free one'))
  .option('--ffmpeg <path>', 'ffmpeg binary to use (default: FFMPEG_PATH, the bundled ffmpeg, then PATH)')
  .action(async (o: ServeOptions) => {
    const { serve } = await import('./serve-command')
    await serve(o)
  })

program
  .command('generate')
  .description('write synthetic CCTV clips with their ground truth (for trying Dwellmap out and for tests)')
  .requiredOption('-o, --out <dir>', 'directory for the clips')
  .addOption(oneOf(new Option('--preset <preset>', 'which clips'), ['demo', 'test', 'bench']).default('demo'))
  .option('--seconds <n>', 'length of the bench clip in seconds', secondsValue, 600)
  .action(async (o: { out: string; preset: Preset; seconds: number }) => {
    const { generate } = await import('./generate-command')
    await generate(o.out, o.preset, o.seconds)
  })

program
  .command('demo')
  .description('generate two demo days, analyse them and open the app on the results')
  .option('--dir <dir>', 'where the demo footage and results go', 'dwellmap-demo')
  .option('--no-open', 'do not open the app afterwards')
  .action(async (o: { dir: string; open: boolean }) => {
    const { runDemo } = await import('./demo-command')
    await runDemo(o.dir, o.open)
  })

try {
  await program.parseAsync(process.argv)
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2)
  if (err instanceof AnalysisCancelled) fail('cancelled; what was finished is kept: run the same command again to resume', 130)
  if (err instanceof AnalysisError) fail(problemLine(err.problem))
  fail(err instanceof Error ? err.message : String(err))
}
