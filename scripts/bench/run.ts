// `npm run bench`: Dwellmap against plain ffmpeg decoding and against the article's own Python
// pipeline, side by side on the same generated 1080p clip, plus memory, temporary files and the
// two accumulation kernels. A script, not a timed test: it prints figures and writes them to
// .cache/bench/last.json; docs/benchmarks.md says what each one means.
//
//   npm run bench                 10-minute clip (generated once into .cache/bench/, then reused)
//   npm run bench -- --long       also the 60-minute clip (generating it takes ~10-12 minutes)
//   options: --seconds N (short clip length, >= 600), --repeat N (best of N for the cheap runs),
//            --seed-pairs N (interleaved seed/ffmpeg pairs, median ratio), --skip-article, --skip-kernels,
//            --skip-camera-like
import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { atomicTarget } from '../../src/main/runtime/atomic-write'
import type { Summary } from '../../src/shared/summary'
import { benchKernels, type KernelTiming } from './kernels'
import { loadAverage, loadNote, machine } from './machine'
import { dirBytes, measure, type RunResult } from './measure'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cacheDir = join(root, '.cache', 'bench')
const cli = join(root, 'bin', 'dwellmap.js')
const MB = 1024 * 1024

const { values: opts } = parseArgs({
  options: {
    long: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '600' },
    'long-seconds': { type: 'string', default: '3600' },
    repeat: { type: 'string', default: '3' },
    'seed-pairs': { type: 'string', default: '3' },
    'skip-article': { type: 'boolean', default: false },
    'skip-kernels': { type: 'boolean', default: false },
    'skip-camera-like': { type: 'boolean', default: false }
  }
})
const shortSeconds = Number(opts.seconds)
const longSeconds = Number(opts['long-seconds'])
const repeat = Math.max(1, Number(opts.repeat))
const seedPairs = Math.max(1, Number(opts['seed-pairs']))
if (!(shortSeconds >= 600)) throw new Error('--seconds must be at least 600 (the targets are for a clip of 10 minutes or more)')

const log = (line = ''): void => void process.stdout.write(line + '\n')
const s = (seconds: number): string => `${seconds.toFixed(1)} s`
const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`

// ---------------------------------------------------------------------------------------------
// Prerequisites: each missing one is one clear line.

if (!existsSync(join(root, 'out', 'main', 'cli.js'))) {
  log('bench: Dwellmap is not built: run `npm run setup` (or `npm run build`) first')
  process.exit(1)
}
const ff = locateFfmpeg(process.env.FFMPEG_PATH)

function findPython(): { python: string; figure: 'seaborn' | 'matplotlib-imshow' } | { missing: string } {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c)
  for (const python of candidates) {
    const ok = spawnSync(python, ['-c', 'import cv2, numpy, matplotlib'], { stdio: 'ignore' }).status === 0
    if (!ok) continue
    const seaborn = spawnSync(python, ['-c', 'import seaborn'], { stdio: 'ignore' }).status === 0
    return { python, figure: seaborn ? 'seaborn' : 'matplotlib-imshow' }
  }
  return {
    missing:
      'bench: the article pipeline needs Python 3 with OpenCV, numpy and matplotlib (seaborn optional): ' +
      'sudo apt-get install python3-opencv python3-numpy python3-matplotlib python3-seaborn'
  }
}
const python = opts['skip-article'] ? null : findPython()
if (python && 'missing' in python) log(python.missing)
const hasTaskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0
if (!hasTaskset) log('bench: the one-core comparison needs taskset: sudo apt-get install util-linux')

// ---------------------------------------------------------------------------------------------
// The clips: generated once, then reused from .cache/bench/.

async function ensureClip(seconds: number): Promise<string> {
  const path = join(cacheDir, `bench-${seconds}s.mp4`)
  if (existsSync(path)) return path
  mkdirSync(cacheDir, { recursive: true })
  log(`generating the ${seconds / 60}-minute bench clip into ${cacheDir} (about ${Math.ceil(seconds / 300)} minutes; reused afterwards)`)
  const out = await new Promise<string>((ok, fail) => {
    const child = spawn(process.execPath, [cli, 'generate', '--out', cacheDir, '--preset', 'bench', '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.on('data', (c: Buffer) => (text += c.toString()))
    child.on('error', fail)
    child.on('close', (code) => (code === 0 ? ok(text) : fail(new Error(`generating the bench clip failed (exit ${code})`))))
  })
  const wrote = /wrote (.+?\.mp4) \(/.exec(out)?.[1]
  if (!wrote || !existsSync(wrote)) throw new Error(`the generator did not say where it wrote the clip: ${out.trim()}`)
  return wrote
}

/**
 * Footage as many cameras record it, with a keyframe only every 10 s: the bench clip's first two
 * minutes re-encoded (once, ~1 minute; reused afterwards). Keyframe sampling does not apply there,
 * so the default settings decode every frame.
 */
async function ensureSparseKeyframeClip(from: string): Promise<string> {
  const path = join(cacheDir, 'bench-keyframes-10s-120s.mp4')
  if (existsSync(path)) return path
  log(`re-encoding 2 minutes of the bench clip with a keyframe every 10 s into ${path} (about a minute; reused afterwards)`)
  const tmp = path + '.partial.mp4'
  checkOk('re-encoding the sparse-keyframe clip', await measure(ff.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-t', '120', '-i', from,
    '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-g', '250', '-keyint_min', '250', '-sc_threshold', '0', tmp]))
  renameSync(tmp, path)
  return path
}

/**
 * The bench clip encoded as cameras encode (x264 veryfast, High profile: CABAC, deblocking,
 * B-frames; a keyframe every 2 s), made once (~3 minutes here) and reused. The bench clip itself is
 * ultrafast Constrained Baseline, whose keyframes decode ~2.4x faster; informative rows only.
 */
async function ensureCameraLikeClip(from: string, seconds: number): Promise<string> {
  const path = join(cacheDir, `bench-camera-like-${seconds}s.mp4`)
  if (existsSync(path)) return path
  log(`re-encoding the bench clip as cameras encode into ${path} (about ${Math.ceil(seconds / 200)} minutes; reused afterwards)`)
  const tmp = path + '.partial.mp4'
  checkOk('re-encoding the camera-like clip', await measure(ff.ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-i', from,
    '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-crf', '23', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', tmp]))
  renameSync(tmp, path)
  return path
}

/** Reads the clip once so every timed run starts from the page cache, not the disk. */
async function warmCache(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 8 * MB })) void chunk
}

function probeFrames(path: string): { seconds: number; frames: number; width: number; height: number; fps: string } {
  const r = spawnSync(ff.ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_frames,r_frame_rate:format=duration', '-of', 'json', path], { encoding: 'utf8' })
  const j = JSON.parse(r.stdout) as { streams: Array<{ width: number; height: number; nb_frames: string; r_frame_rate: string }>; format: { duration: string } }
  const st = j.streams[0]
  return { seconds: Number(j.format.duration), frames: Number(st.nb_frames), width: st.width, height: st.height, fps: st.r_frame_rate }
}

// ---------------------------------------------------------------------------------------------
// The runs.

function checkOk(what: string, r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`)
  return r
}

function ffmpegRun(what: string, args: string[], pin = false): Promise<RunResult> {
  const full = ['-hide_banner', '-nostdin', '-v', 'error', ...args]
  return (pin ? measure('taskset', ['-c', '0', ff.ffmpeg, ...full]) : measure(ff.ffmpeg, full)).then((r) => checkOk(what, r))
}

interface FileSeen {
  path: string
  /** Size at the end, null when the file was gone by then. */
  bytes: number | null
  maxBytes: number
}

interface AnalysisRun {
  run: RunResult
  summary: Summary
  /** Files written during the run that are neither result files nor the checkpoint: there must be none. */
  strayFiles: FileSeen[]
  /** The engine's resume checkpoint (accumulated sums, not frames), removed when the run ends. */
  checkpointFiles: FileSeen[]
  /** New entries in the system temp folder not written by the analysis (other work on the machine). */
  otherTmp: number
  freeSpaceDropMB: number
  resultBytes: number
}

let runCounter = 0
async function analysisRun(clip: string, extra: string[], pin = false): Promise<AnalysisRun> {
  const outDir = join(cacheDir, 'out', `run-${++runCounter}`)
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  // A private temp folder (os.tmpdir() of the analysis follows TMPDIR), watched along with the
  // system one and the output folder; and the process tree's open files are scanned.
  const privateTmp = mkdtempSync(join(tmpdir(), 'dwellmap-bench-tmp-'))
  const systemTmp = tmpdir()
  const freeBefore = freeBytes(outDir)
  const args = [cli, 'analyze', clip, '--out', outDir, ...extra]
  const env = { ...process.env, TMPDIR: privateTmp }
  const run = checkOk(
    `dwellmap analyze ${extra.join(' ')}`,
    await measure(pin ? 'taskset' : process.execPath, pin ? ['-c', '0', process.execPath, ...args] : args, { env, watch: { dirs: [outDir, privateTmp, systemTmp], deep: [outDir, privateTmp] } })
  )
  const freeAfter = freeBytes(outDir)
  const summary = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as Summary
  const resultNames = Object.values(summary.files).filter((f): f is string => !!f).map((f) => f.slice(f.lastIndexOf('/') + 1))
  // A result file is written under a temporary name and renamed (runtime/atomic-write.ts): the
  // temporary file is that result file being written.
  const isResult = (p: string): boolean => {
    const target = atomicTarget(p)
    return target.startsWith(outDir + '/') && resultNames.includes(target.slice(outDir.length + 1))
  }
  const written = new Set(run.writtenByTree)
  const ours = new Map<string, FileSeen>()
  for (const c of run.created) {
    if (c.path.startsWith(outDir + '/') || c.path.startsWith(privateTmp + '/') || written.has(c.path)) ours.set(c.path, c)
  }
  for (const p of written) {
    if (!ours.has(p)) ours.set(p, { path: p, bytes: existsSync(p) ? statSync(p).size : null, maxBytes: run.maxSize.get(p) ?? 0 })
  }
  const isCheckpoint = (p: string): boolean => p.startsWith(join(outDir, '.dwellmap-checkpoint'))
  const others = [...ours.values()].filter((f) => !isResult(f.path))
  const otherTmp = run.created.filter((c) => c.path.startsWith(systemTmp + '/') && c.path !== privateTmp && !written.has(c.path)).length
  const resultBytes = dirBytes(outDir)
  rmSync(privateTmp, { recursive: true, force: true })
  return {
    run,
    summary,
    strayFiles: others.filter((f) => !isCheckpoint(f.path)),
    checkpointFiles: others.filter((f) => isCheckpoint(f.path)),
    otherTmp,
    freeSpaceDropMB: (freeBefore - freeAfter) / MB,
    resultBytes
  }
}

function freeBytes(path: string): number {
  const st = statfsSync(path)
  return st.bavail * st.bsize
}

function best<T extends { run: RunResult } | RunResult>(runs: T[]): T {
  const wall = (r: T): number => ('run' in r ? r.run.wallSeconds : r.wallSeconds)
  return runs.reduce((a, b) => (wall(b) < wall(a) ? b : a))
}

function describeAnalysis(name: string, a: AnalysisRun): void {
  const t = a.summary.timings
  log(
    `  ${name}: ${s(a.run.wallSeconds)} wall; engine: ${a.summary.frames.sampled} frames (${a.summary.resolved.sample}, ${a.summary.kernel} kernel, ${a.summary.grid.width}x${a.summary.grid.height}), ` +
      `reference ${t.referenceSeconds.toFixed(1)} s, accumulate ${t.accumulateSeconds.toFixed(1)} s, total ${t.totalSeconds.toFixed(1)} s; peak RSS ${mb(a.run.peakRssBytes)} (PSS ${mb(a.run.peakPssBytes)})`
  )
}

/**
 * Default settings against ffmpeg's keyframe-only decode of `clip`, best of `repeat` interleaved
 * rounds: both as they are, ffmpeg on one thread, and both on one core. Adds rows `<id>a-c`, with
 * the issue's targets when `targets` (the bench clip), else informative.
 */
async function defaultVsKeyframes(clip: string, rows: Row[], id: string, targets: boolean): Promise<{ def: AnalysisRun[]; defPinned: AnalysisRun[]; d: AnalysisRun }> {
  const keyArgs = ['-skip_frame', 'nokey', '-i', clip, '-fps_mode', 'passthrough', '-f', 'null', '-']
  const keyArgs1 = ['-skip_frame', 'nokey', '-threads', '1', '-i', clip, '-fps_mode', 'passthrough', '-f', 'null', '-']
  const key: RunResult[] = []
  const key1: RunResult[] = []
  const keyPinned: RunResult[] = []
  const def: AnalysisRun[] = []
  const defPinned: AnalysisRun[] = []
  for (let i = 0; i < repeat; i++) {
    key.push(await ffmpegRun('ffmpeg keyframes', keyArgs))
    key1.push(await ffmpegRun('ffmpeg keyframes -threads 1', keyArgs1))
    def.push(await analysisRun(clip, []))
    if (hasTaskset) {
      keyPinned.push(await ffmpegRun('ffmpeg keyframes on one core', keyArgs, true))
      defPinned.push(await analysisRun(clip, [], true))
    }
    log(
      `  round ${i + 1}: ffmpeg keyframes ${s(key[i].wallSeconds)}, -threads 1 ${s(key1[i].wallSeconds)}, dwellmap ${s(def[i].run.wallSeconds)}` +
        (hasTaskset ? `; one core: ffmpeg ${s(keyPinned[i].wallSeconds)}, dwellmap ${s(defPinned[i].run.wallSeconds)}` : '')
    )
  }
  const k = best(key)
  const k1 = best(key1)
  const d = best(def)
  log(`  ffmpeg keyframes peak RSS: ${mb(k.peakRssBytes)} as is, ${mb(k1.peakRssBytes)} with -threads 1`)
  describeAnalysis('dwellmap analyze (defaults), best', d)
  const row = (suffix: string, what: string, dwellmap: AnalysisRun, baseline: RunResult, target: string, ok: (r: number) => boolean): void => {
    const r = dwellmap.run.wallSeconds / baseline.wallSeconds
    rows.push({
      id: id + suffix, what, dwellmap: s(dwellmap.run.wallSeconds), baseline: s(baseline.wallSeconds),
      ratio: r.toFixed(2), target: targets ? target : '-', ok: targets ? ok(r) : null,
      values: { dwellmapSeconds: dwellmap.run.wallSeconds, ffmpegSeconds: baseline.wallSeconds, ratio: r }
    })
  }
  const indent = targets ? '' : '  '
  row('a', `${indent}default vs ffmpeg -skip_frame nokey`, d, k, '< 1.0', (r) => r < 1.0)
  row('b', '  same, ffmpeg with -threads 1', d, k1, '< 1.0', (r) => r < 1.0)
  if (hasTaskset) {
    const dp = best(defPinned)
    describeAnalysis('dwellmap analyze (defaults) on one core, best', dp)
    row('c', `${indent}one core (taskset -c 0): default vs nokey`, dp, best(keyPinned), '<= 1.15', (r) => r <= 1.15)
  }
  return { def, defPinned, d }
}

// ---------------------------------------------------------------------------------------------

interface Row {
  id: string
  what: string
  dwellmap: string
  baseline: string
  ratio: string
  target: string
  ok: boolean | null
  values: Record<string, number | string | null>
}

async function main(): Promise<void> {
  const started = new Date()
  const m = machine(ff.ffmpeg)
  log(`Dwellmap bench, ${started.toISOString()}`)
  log(`machine: ${m.cpu}, ${m.cores} cores, ${(m.memTotalMB / 1024).toFixed(1)} GB RAM (${(m.memAvailableMB / 1024).toFixed(1)} GB available), Linux ${m.kernel}`)
  log(`software: Node ${m.node}, ${m.ffmpeg} (${ff.ffmpeg}, via ${ff.source})`)
  log(`load average at start: ${loadNote(m.loadAverage[0], m.cores)} (5 min ${m.loadAverage[1].toFixed(2)})`)

  const clip = await ensureClip(shortSeconds)
  const longClip = opts.long ? await ensureClip(longSeconds) : null
  const info = probeFrames(clip)
  log(`clip: ${clip} (${(statSync(clip).size / MB).toFixed(0)} MB, ${info.width}x${info.height}, ${info.fps} fps, ${info.frames} frames, ${(info.seconds / 60).toFixed(1)} min)`)
  await warmCache(clip)
  const rows: Row[] = []
  const details: Record<string, unknown> = {}

  // 1. Seed method against a full decode: both decode every frame at native resolution. On a
  //    shared VM the same ffmpeg run takes 17-23 s from one minute to the next, so one pair says
  //    little: pairs run interleaved and the pair with the median ratio is reported.
  log(`\n1. seed method (every 5th frame, native resolution) vs a full decode (${seedPairs} interleaved pair${seedPairs > 1 ? 's' : ''}, median ratio)`)
  const seedPairRuns: Array<{ ffmpeg: RunResult; seed: AnalysisRun; ratio: number }> = []
  for (let i = 0; i < seedPairs; i++) {
    const ffmpeg = await ffmpegRun('ffmpeg full decode', ['-i', clip, '-f', 'null', '-'])
    const run = await analysisRun(clip, ['--method', 'seed', '--reference', 'frame:0'])
    seedPairRuns.push({ ffmpeg, seed: run, ratio: run.run.wallSeconds / ffmpeg.wallSeconds })
    log(`  pair ${i + 1}: ffmpeg -i CLIP -f null - ${s(ffmpeg.wallSeconds)} (peak RSS ${mb(ffmpeg.peakRssBytes)}), dwellmap seed ${s(run.run.wallSeconds)}: ${(run.run.wallSeconds / ffmpeg.wallSeconds).toFixed(2)}`)
  }
  const medianPair = [...seedPairRuns].sort((a, b) => a.ratio - b.ratio)[Math.floor((seedPairRuns.length - 1) / 2)]
  const { ffmpeg: fullDecode, seed, ratio: r1 } = medianPair
  describeAnalysis('dwellmap analyze --method seed --reference frame:0 (median pair)', seed)
  rows.push({
    id: '1', what: 'seed vs ffmpeg full decode', dwellmap: s(seed.run.wallSeconds), baseline: s(fullDecode.wallSeconds),
    ratio: r1.toFixed(2), target: '<= 1.15', ok: r1 <= 1.15,
    values: {
      dwellmapSeconds: seed.run.wallSeconds, ffmpegSeconds: fullDecode.wallSeconds, ratio: r1, peakRssMB: seed.run.peakRssBytes / MB,
      pairs: seedPairRuns.map((p) => `${p.seed.run.wallSeconds.toFixed(2)}/${p.ffmpeg.wallSeconds.toFixed(2)}`).join(' ')
    }
  })

  // 2. Default settings against a keyframe-only decode, cheap enough for best of N, interleaved so
  //    that load from elsewhere hits both sides alike.
  log(`\n2. default settings vs a keyframe-only decode (best of ${repeat})`)
  const { def, defPinned, d } = await defaultVsKeyframes(clip, rows, '2', true)
  details.defaultRuns = def.map((a) => ({ wallSeconds: a.run.wallSeconds, peakRssMB: a.run.peakRssBytes / MB, timings: a.summary.timings }))

  // 3. The article's pipeline, as published, on the same clip.
  log('\n3. the article\'s Python pipeline vs default settings')
  if (python && 'python' in python) {
    const work = join(cacheDir, 'article')
    rmSync(work, { recursive: true, force: true })
    const script = join(root, 'scripts', 'bench', 'article_pipeline.py')
    const extract = checkOk('article pipeline (extract)', await measure(python.python, [script, 'extract', clip, work]))
    const pngBytes = dirBytes(join(work, 'images'))
    const heat = checkOk('article pipeline (heatmap)', await measure(python.python, [script, 'heatmap', work]))
    const ex = JSON.parse(extract.stdout.trim().split('\n').at(-1)!) as { pngsWritten: number }
    const hm = JSON.parse(heat.stdout.trim().split('\n').at(-1)!) as { sumSeconds: number; figureSeconds: number; figure: string }
    rmSync(work, { recursive: true, force: true })
    const wall = extract.wallSeconds + heat.wallSeconds
    const peak = Math.max(extract.peakRssBytes, heat.peakRssBytes)
    const peakPss = Math.max(extract.peakPssBytes, heat.peakPssBytes)
    log(`  extract (VideoCapture, gray+blur, imwrite PNG): ${s(extract.wallSeconds)}, ${ex.pngsWritten} PNGs, ${mb(pngBytes)} written, peak ${mb(extract.peakRssBytes)}`)
    log(`  heatmap (imread, absdiff, float64 sum ${hm.sumSeconds.toFixed(1)} s; ${hm.figure} figure ${hm.figureSeconds.toFixed(1)} s): ${s(heat.wallSeconds)}, peak ${mb(heat.peakRssBytes)}`)
    if (hm.figure !== 'seaborn') log('  note: seaborn is not installed: the figure was drawn with matplotlib imshow instead')
    const r3 = wall / d.run.wallSeconds
    rows.push({
      id: '3', what: 'article pipeline / default (speed-up)', dwellmap: s(d.run.wallSeconds), baseline: s(wall),
      ratio: `${r3.toFixed(1)}x`, target: '>= 8x', ok: r3 >= 8,
      values: { dwellmapSeconds: d.run.wallSeconds, articleSeconds: wall, speedup: r3, articleExtractSeconds: extract.wallSeconds, articleHeatmapSeconds: heat.wallSeconds, articleFigureSeconds: hm.figureSeconds, figure: hm.figure }
    })
    const r3b = wall / seed.run.wallSeconds
    rows.push({
      id: '3b', what: '  article / dwellmap seed (same method)', dwellmap: s(seed.run.wallSeconds), baseline: s(wall),
      ratio: `${r3b.toFixed(1)}x`, target: '-', ok: null,
      values: { dwellmapSeconds: seed.run.wallSeconds, articleSeconds: wall, speedup: r3b }
    })
    rows.push({
      id: '3c', what: '  article peak memory / PNG bytes written', dwellmap: mb(d.run.peakRssBytes), baseline: `${mb(peak)} / ${mb(pngBytes)}`,
      ratio: '', target: '-', ok: null,
      values: { articlePeakRssMB: peak / MB, articlePeakPssMB: peakPss / MB, articlePngBytes: pngBytes, articlePngs: ex.pngsWritten, dwellmapPeakRssMB: d.run.peakRssBytes / MB }
    })
  } else {
    rows.push({ id: '3', what: 'article pipeline / default', dwellmap: s(d.run.wallSeconds), baseline: 'skipped', ratio: '', target: '>= 8x', ok: null, values: {} })
  }

  // 4. Memory of the whole process tree, and files written other than the results.
  log('\n4. peak memory (node + worker + ffmpeg processes) and temporary files')
  const peak10 = Math.max(...def.map((a) => a.run.peakRssBytes))
  const pss10 = Math.max(...def.map((a) => a.run.peakPssBytes))
  const peakAt = def.find((a) => a.run.peakRssBytes === peak10)!
  log(`  ${shortSeconds / 60} min: peak ${mb(peak10)} RSS (${mb(pss10)} PSS) at ${peakAt.run.peakBreakdown.map((p) => `${p.comm} ${mb(p.rssBytes)}`).join(', ')}`)
  rows.push({
    id: '4a', what: `peak RSS, default, ${shortSeconds / 60} min`, dwellmap: mb(peak10), baseline: `PSS ${mb(pss10)}`,
    ratio: '', target: '<= 250 MB', ok: peak10 <= 250 * MB,
    values: { peakRssMB: peak10 / MB, peakPssMB: pss10 / MB, breakdown: peakAt.run.peakBreakdown.map((p) => `${p.comm}:${(p.rssBytes / MB).toFixed(0)}`).join(' ') }
  })
  const allRuns: AnalysisRun[] = [...seedPairRuns.map((p) => p.seed), ...def, ...defPinned]
  if (longClip) {
    await warmCache(longClip)
    const longInfo = probeFrames(longClip)
    log(`  long clip: ${longClip} (${(statSync(longClip).size / MB).toFixed(0)} MB, ${longInfo.frames} frames, ${(longInfo.seconds / 60).toFixed(1)} min)`)
    const keyLong = await ffmpegRun('ffmpeg keyframes (long clip)', ['-skip_frame', 'nokey', '-i', longClip, '-fps_mode', 'passthrough', '-f', 'null', '-'])
    const long = await analysisRun(longClip, [])
    allRuns.push(long)
    describeAnalysis(`dwellmap analyze (defaults), ${longSeconds / 60} min`, long)
    log(`  ${longSeconds / 60} min: peak ${mb(long.run.peakRssBytes)} RSS (${mb(long.run.peakPssBytes)} PSS) at ${long.run.peakBreakdown.map((p) => `${p.comm} ${mb(p.rssBytes)}`).join(', ')}`)
    const p60 = long.run.peakRssBytes
    const same = Math.abs(p60 - peak10) <= Math.max(0.1 * peak10, 20 * MB)
    rows.push({
      id: '4b', what: `peak RSS, default, ${longSeconds / 60} min`, dwellmap: mb(p60), baseline: `PSS ${mb(long.run.peakPssBytes)}`,
      ratio: (p60 / peak10).toFixed(2), target: '<= 250 MB, = 4a', ok: p60 <= 250 * MB && same,
      values: { peakRssMB: p60 / MB, peakPssMB: long.run.peakPssBytes / MB, ratioTo10Min: p60 / peak10 }
    })
    const rl = long.run.wallSeconds / keyLong.wallSeconds
    rows.push({
      id: '4c', what: `  ${longSeconds / 60} min: default vs nokey`, dwellmap: s(long.run.wallSeconds), baseline: s(keyLong.wallSeconds),
      ratio: rl.toFixed(2), target: '< 1.0', ok: rl < 1.0,
      values: { dwellmapSeconds: long.run.wallSeconds, ffmpegSeconds: keyLong.wallSeconds, ratio: rl }
    })
  } else {
    rows.push({ id: '4b', what: `peak RSS, default, ${longSeconds / 60} min`, dwellmap: 'not run', baseline: '', ratio: '', target: 'use --long', ok: null, values: {} })
  }
  // Keyframes far apart: what the default settings cost there (informative; the targets are for
  // the bench clip, whose keyframes are 2 s apart).
  const sparse = await ensureSparseKeyframeClip(clip)
  await warmCache(sparse)
  const sparseDecode = await ffmpegRun('ffmpeg full decode (sparse keyframes)', ['-i', sparse, '-f', 'null', '-'])
  const sparseRun = await analysisRun(sparse, [])
  allRuns.push(sparseRun)
  describeAnalysis('dwellmap analyze (defaults), 2 min with a keyframe every 10 s', sparseRun)
  log(`  empty scene: ${sparseRun.summary.resolved.reference}`)
  log(`  at the peak: ${sparseRun.run.peakBreakdown.map((p) => `${p.comm} ${mb(p.rssBytes)}`).join(', ')}`)
  rows.push({
    id: '4f', what: '  keyframes 10 s apart, 2 min: default vs full decode', dwellmap: s(sparseRun.run.wallSeconds), baseline: s(sparseDecode.wallSeconds),
    ratio: (sparseRun.run.wallSeconds / sparseDecode.wallSeconds).toFixed(2), target: '-', ok: null,
    values: { dwellmapSeconds: sparseRun.run.wallSeconds, ffmpegSeconds: sparseDecode.wallSeconds, peakRssMB: sparseRun.run.peakRssBytes / MB, sample: sparseRun.summary.resolved.sample, reference: sparseRun.summary.resolved.reference }
  })
  rows.push({
    id: '4f', what: '  the same: peak RSS', dwellmap: mb(sparseRun.run.peakRssBytes), baseline: `PSS ${mb(sparseRun.run.peakPssBytes)}`,
    ratio: '', target: '- (250 MB: keyframe sampling)', ok: null, values: { peakRssMB: sparseRun.run.peakRssBytes / MB, peakPssMB: sparseRun.run.peakPssBytes / MB }
  })
  const stray = allRuns.flatMap((a) => a.strayFiles)
  const strayBytes = stray.reduce((n, f) => n + f.maxBytes, 0)
  for (const f of stray) log(`  written besides the results: ${f.path} (${f.maxBytes} bytes at most, ${f.bytes === null ? 'gone at the end' : `${f.bytes} bytes left`})`)
  const otherTmp = allRuns.reduce((n, a) => n + a.otherTmp, 0)
  log(`  ${allRuns.length} analysis runs watched (output folder, a private TMPDIR, ${tmpdir()}, and the open files of the process tree): ${stray.length} files written besides the result files and the checkpoint`)
  // Files under their final names (the writer's temporary files are left out).
  const checkpoint = allRuns.map((a) => a.checkpointFiles.filter((f) => f.maxBytes > 0 && atomicTarget(f.path) === f.path))
  const cpFiles = Math.max(...checkpoint.map((c) => c.length))
  const cpBytes = Math.max(...checkpoint.map((c) => c.reduce((n, f) => n + f.maxBytes, 0)))
  const cpLeft = allRuns.flatMap((a) => a.checkpointFiles).filter((f) => f.bytes !== null && f.bytes > 0).length
  log(`  resume checkpoint (accumulated sums, not frames) in the output folder: up to ${cpFiles} files, ${(cpBytes / MB).toFixed(1)} MB per run, ${cpLeft} left after the runs`)
  if (otherTmp) log(`  (${otherTmp} new entries appeared in ${tmpdir()} meanwhile, none opened by the analysis: other work on this machine)`)
  log(`  result files per run: ${mb(Math.max(...allRuns.map((a) => a.resultBytes)))} at most; free-space drop during a default run: ${d.freeSpaceDropMB.toFixed(1)} MB (shared disk: noisy)`)
  rows.push({
    id: '4d', what: 'temporary frame files (all runs)', dwellmap: `${stray.length} files, ${strayBytes} B`, baseline: '',
    ratio: '', target: '0', ok: stray.length === 0,
    values: { files: stray.length, bytes: strayBytes, runsWatched: allRuns.length }
  })
  rows.push({
    id: '4e', what: '  resume checkpoint (sums), per run', dwellmap: `${(cpBytes / MB).toFixed(1)} MB`, baseline: '',
    ratio: '', target: 'removed', ok: cpLeft === 0,
    values: { files: cpFiles, maxBytes: cpBytes, leftAfterRuns: cpLeft }
  })

  // 5. The kernels themselves.
  let kernels: KernelTiming[] = []
  if (!opts['skip-kernels']) {
    log('\n5. accumulation kernels, time per frame (no decoding; best of 3 rounds)')
    kernels = benchKernels(log)
    for (const kt of kernels) {
      rows.push({
        id: '5', what: `kernel ${kt.method} ${kt.width} px (blur ${kt.blur})`, dwellmap: kt.opencvMs === null ? '-' : `${kt.opencvMs.toFixed(2)} ms`,
        baseline: `${kt.typescriptMs.toFixed(2)} ms`, ratio: kt.ratio === null ? '' : `${kt.ratio.toFixed(1)}x`, target: '-', ok: null,
        values: { opencvMs: kt.opencvMs, typescriptMs: kt.typescriptMs, typescriptOverOpencv: kt.ratio }
      })
    }
  }

  // 6. The same comparison on footage encoded as cameras encode it (informative).
  if (!opts['skip-camera-like']) {
    const camera = await ensureCameraLikeClip(clip, shortSeconds)
    await warmCache(camera)
    log(`\n6. default settings vs a keyframe-only decode, on the clip encoded as cameras encode (${camera}; best of ${repeat})`)
    await defaultVsKeyframes(camera, rows, '6', false)
  }

  const loadEnd = loadAverage()
  log(`\nload average at end: ${loadNote(loadEnd[0], m.cores)} (5 min ${loadEnd[1].toFixed(2)})`)

  // The table.
  const head = ['#', 'measurement', 'dwellmap', 'baseline', 'ratio', 'target', 'ok']
  const body = rows.map((r) => [r.id, r.what, r.dwellmap, r.baseline, r.ratio, r.target, r.ok === null ? '' : r.ok ? 'yes' : 'MISS'])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd()
  log('\n' + line(head))
  log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const b of body) log(line(b))
  log('(5: dwellmap = OpenCV kernel, baseline = TypeScript kernel, ratio = TypeScript / OpenCV)')
  if (!opts['skip-camera-like']) log('(6: the bench clip encoded as cameras encode it, High profile with deblocking: informative, the targets are for the bench clip)')

  const report = {
    date: started.toISOString(),
    machine: { ...m, loadAverageEnd: loadEnd },
    clip: { path: clip, bytes: statSync(clip).size, ...info },
    longClip,
    repeat,
    ffmpeg: ff,
    rows,
    kernels,
    details
  }
  const lastJson = join(cacheDir, 'last.json')
  writeFileSync(lastJson, JSON.stringify(report, null, 2) + '\n')
  log(`\nwritten to ${lastJson}`)
  rmSync(join(cacheDir, 'out'), { recursive: true, force: true })
}

await main()
