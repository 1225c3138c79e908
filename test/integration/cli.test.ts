// The CLI as a user meets it: the built `dwellmap` command on real and broken footage.
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, stat, writeFile, copyFile, truncate } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { dwellmap } from '../helpers/run-cli'
import { SummarySchema, type Summary } from '../../src/shared/summary'
import { AnalysisJobSchema } from '../../src/shared/worker-protocol'
import { readIndexes } from '../../src/main/cli/analyze-command'
import { runLimited } from '../../src/main/analysis/run-limited'
import { decodeNpy } from '../../src/main/formats/npy'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { distinctCopyArgs, testClipArgs } from '../helpers/test-clips'
import { loggedTool } from '../helpers/logged-tool'

const runFile = promisify(execFile)

const footage = resolve('../shared/footage')
const oneByOne = join(footage, 'one-by-one-person-detection.mp4')

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-cli-'))
})

describe('dwellmap analyze (seed method on real footage)', () => {
  it('writes heatmap.npy, heatmap.png and summary.json', async () => {
    const out = join(tmp, 'seed')
    const r = await dwellmap('analyze', oneByOne, '--out', out, '--method', 'seed', '--reference', 'frame:0')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const npy = decodeNpy(await readFile(join(out, 'heatmap.npy')))
    expect([npy.width, npy.height]).toEqual([768, 432])
    const png = await readFile(join(out, 'heatmap.png'))
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG')
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')))
    // Every 5th of 1394 frames.
    expect(summary.frames.sampled).toBe(Math.floor(1394 / 5))
    expect(summary.settings.method).toBe('seed')
    expect(summary.kernel).toBe('opencv')
    expect(summary.inputs[0].status).toBe('analysed')
    expect(summary.max).toBeGreaterThan(0)
    expect(r.stdout).toContain(join(out, 'heatmap.npy'))
  })

  it('says its version', async () => {
    const r = await dwellmap('--version')
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string }
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(pkg.version)
  })

  it('documents every option in --help', async () => {
    const r = await dwellmap('analyze', '--help')
    expect(r.code).toBe(0)
    for (const option of ['--out', '--method', '--reference', '--sample', '--width', '--blur', '--threshold', '--mask', '--kernel', '--ffmpeg', '--json']) {
      expect(r.stdout).toContain(option)
    }
    const top = await dwellmap('--help')
    for (const command of ['analyze', 'serve', 'generate', 'demo']) expect(top.stdout).toContain(command)
  })

  it('says a usage mistake in one line, and where the options are', async () => {
    const mistakes: Array<[string[], string]> = [
      [['analyze', '--out', join(tmp, 'never')], "missing required argument 'video'"],
      [['analyze', 'day.mp4'], "required option '-o, --out <dir>' not specified"],
      [['compare', 'monday', '--out', join(tmp, 'never')], "missing required argument 'resultB'"],
      [['analyse'], "unknown command 'analyse'"]
    ]
    for (const [args, problem] of mistakes) {
      const r = await dwellmap(...args)
      expect(r.code).toBe(2)
      const lines = r.stderr.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^dwellmap: .* \(add --help to see the options\)$/)
      expect(lines[0]).toContain(problem)
    }
  })
})

describe('a bad option value', () => {
  it('is a usage mistake: status 2 and one line naming the option, the value and what is allowed', async () => {
    // Each option's wrong values, as written; the limits are the schemas' own. Nothing is run.
    const never = join(tmp, 'never')
    const analyze = (...option: string[]): string[] => ['analyze', oneByOne, '--out', never, ...option]
    const width = 'a number of pixels from 16 to 8192, or native'
    const blur = 'an odd number of pixels (1, 3, 5, ...)'
    const sample = 'auto, every:N, fps:X or keyframes'
    const reference = 'auto, frame:N, time:SECONDS or an image file'
    const start = 'a real date and time as YYYY-MM-DDTHH:MM:SS, e.g. 2026-03-09T08:00:00'
    const seconds = 'a length in seconds of at least one frame (at 25 fps)'
    const cases: Array<[string[], string]> = [
      [analyze('--width', 'abc'), `invalid --width "abc": ${width}`],
      [analyze('--width', '8193'), `invalid --width "8193": ${width}`],
      [analyze('-w15'), `invalid --width "15": ${width}`],
      [analyze('--width=64.5'), `invalid --width "64.5": ${width}`],
      [analyze('--threshold', '999'), 'invalid --threshold "999": a grey level from 0 to 255'],
      [analyze('-t', '-1'), 'invalid --threshold "-1": a grey level from 0 to 255'],
      [analyze('--blur', '4'), `invalid --blur "4": ${blur}`],
      [analyze('--blur', 'wide'), `invalid --blur "wide": ${blur}`],
      [analyze('--sample', 'foo'), `invalid --sample "foo": ${sample}`],
      [analyze('--sample', 'every:0'), `invalid --sample "every:0": ${sample}`],
      [analyze('-s', 'every:99999999999999999999'), `invalid --sample "every:99999999999999999999": ${sample}`],
      [analyze('--reference', 'frame:-1'), `invalid --reference "frame:-1": ${reference}`],
      [analyze('--reference', 'time:abc'), `invalid --reference "time:abc": ${reference}`],
      [analyze('-r', 'frame:99999999999999999999'), `invalid --reference "frame:99999999999999999999": ${reference}`],
      [analyze('--start', 'bad'), `invalid --start "bad": ${start}`],
      [analyze('--start', '2026-02-30T08:00:00'), `invalid --start "2026-02-30T08:00:00": ${start}`],
      [analyze('--kernel', 'xyz'), 'invalid --kernel "xyz": auto, opencv or typescript'],
      [analyze('--method', 'xyz'), 'invalid --method "xyz": occupancy or seed'],
      [analyze('--method', 'say "hi"'), 'invalid --method "say \\"hi\\"": occupancy or seed'],
      [['serve', '--port', 'abc'], 'invalid --port "abc": a port number from 0 to 65535 (0: a free one)'],
      [['serve', '-p', '65536'], 'invalid --port "65536": a port number from 0 to 65535 (0: a free one)'],
      [['generate', '--out', never, '--preset', 'bench', '--seconds', 'foo'], `invalid --seconds "foo": ${seconds}`],
      [['generate', '--out', never, '--seconds', '0.01'], `invalid --seconds "0.01": ${seconds}`],
      [['generate', '--out', never, '--seconds', 'Infinity'], `invalid --seconds "Infinity": ${seconds}`],
      [['generate', '--out', never, '--preset', 'xyz'], 'invalid --preset "xyz": demo, test or bench']
    ]
    const said = new Map<string[], Awaited<ReturnType<typeof dwellmap>>>()
    await runLimited(cases.map(([args]) => args), 4, async (args) => void said.set(args, await dwellmap(...args)))
    for (const [args, line] of cases) {
      const r = said.get(args)!
      expect({ args, code: r.code, stderr: r.stderr, stdout: r.stdout }).toEqual({ args, code: 2, stderr: `dwellmap: ${line}\n`, stdout: '' })
    }
    expect(existsSync(never)).toBe(false)
  })
})

describe('the analysis worker, forked as the CLI starts', () => {
  /** Runs the CLI, noting the worker processes it forks (its children running worker.js). */
  async function workersOf(args: string[]): Promise<{ code: number | null; workers: Set<number>; stderr: string }> {
    const child = spawn(process.execPath, [resolve('bin/dwellmap.js'), ...args])
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const workers = new Set<number>()
    const watch = setInterval(() => {
      runFile('pgrep', ['-P', String(child.pid), '-f', 'worker.js']).then(
        ({ stdout }) => stdout.split('\n').filter(Boolean).forEach((pid) => workers.add(Number(pid))),
        () => {}
      )
    }, 10)
    // stderr closes only when every process holding it (the CLI, the worker) has exited.
    const stderrClosed = new Promise((ok) => child.stderr.on('close', ok))
    const code = await new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)))
    await stderrClosed
    clearInterval(watch)
    return { code, workers, stderr }
  }

  it('is the one worker of the analysis, whatever width its options ask for', async () => {
    for (const width of [[], ['--width', 'native'], ['--method', 'seed', '--reference', 'frame:0', '-w320']]) {
      const r = await workersOf(['analyze', oneByOne, '--out', join(tmp, `early-${width.length}`), '--sample', 'keyframes', ...width, '--json'])
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.workers.size).toBe(1)
    }
  })

  it('is forked before the CLI loads commander or zod (the built entry\'s static imports)', async () => {
    const seen = new Map<string, string>()
    const visit = async (file: string): Promise<void> => {
      if (seen.has(file)) return
      const code = await readFile(file, 'utf8')
      seen.set(file, code)
      for (const [, spec] of code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm)) {
        if (spec.startsWith('./')) await visit(join(resolve(file, '..'), spec))
        else seen.set(spec, '')
      }
    }
    await visit(resolve('out/main/cli.js'))
    expect([...seen.keys()].some((k) => k.includes('early-worker'))).toBe(true)
    expect(seen.has('commander')).toBe(false)
    expect([...seen.values()].some((code) => code.includes('ZodError'))).toBe(false)
  })

  it('ends with the CLI when the options are wrong', async () => {
    const r = await workersOf(['analyze', oneByOne, '--out', join(tmp, 'never'), '--width', 'wide'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^dwellmap: invalid --width "wide"/)
  })
})

describe('dwellmap analyze on a day of short MP4 clips', () => {
  it('probes them from their indexes, decodes their keyframes with one ffmpeg fed by the worker, and the empty scene\'s with another', async () => {
    // The built CLI reads the indexes for its worker; an ffmpeg wrapper (with ffprobe beside it)
    // logs each run.
    // 700 frames, a keyframe every second: too many for the tiny-day pass of the empty scene.
    const ff = locateFfmpeg()
    const bin = join(tmp, 'logged-bin')
    await mkdir(bin)
    const ffmpeg = await loggedTool(join(bin, 'ffmpeg'), ff.ffmpeg)
    const ffprobe = await loggedTool(join(bin, 'ffprobe'), ff.ffprobe)
    const clips: string[] = []
    for (const [i, seconds] of [12, 7, 9].entries()) {
      clips.push(join(tmp, `cam_2026112509${String(i).padStart(2, '0')}00.mp4`))
      await runFile(ff.ffmpeg, testClipArgs({ size: '320x180', rate: 25, seconds, gop: 25, ultrafast: true }, clips[i]))
    }
    const out = join(tmp, 'short-day')
    const r = await dwellmap('analyze', ...clips, '--out', out, '--sample', 'keyframes', '--ffmpeg', join(bin, 'ffmpeg'))
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')))
    expect(summary.inputs.map((i) => i.framesSampled)).toEqual([12, 7, 9])
    expect(summary.resolved.reference).toMatch(/keyframes nearest/)
    const runs = await ffmpeg.runs()
    const fed = runs.filter((a) => a.includes('-f h264') && a.includes('pipe:0'))
    expect(fed).toHaveLength(2)
    // Keyframes only, for occupancy: without the deblocking filter (skipsLoopFilter).
    expect(fed.every((a) => a.includes('-skip_loop_filter all -i pipe:0'))).toBe(true)
    expect(runs.filter((a) => a.includes('-discard nokey') || a.includes('concat'))).toEqual([])
    // Plain H.264 MP4 clips are probed from their own index: no ffprobe starts at all.
    expect(await ffprobe.runs()).toEqual([])

    // What the CLI hands its worker: the probe and keyframes of each clip its index tells all of,
    // nothing for the others (the worker probes those, and says what is wrong with them).
    const mkv = join(tmp, 'short-day.mkv')
    await runFile(ff.ffmpeg, ['-v', 'error', '-y', '-i', clips[1], '-c', 'copy', mkv])
    const inputs = [clips[0], mkv, join(tmp, 'missing.mp4')]
    const given = AnalysisJobSchema.parse({ inputs, outDir: out, settings: summary.settings, ffmpegPath: ff.ffmpeg, ffprobePath: ff.ffprobe, ...(await readIndexes(inputs)) })
    expect(given.probes?.map((p) => p && [p.path, p.frameCount, p.keyframeGap])).toEqual([[clips[0], 300, 1], null, null])
    expect(given.indexes?.map((x) => x?.keyframes.length ?? null)).toEqual([12, null, null])
    expect(await readIndexes([mkv])).toEqual({})
  }, 120_000)
})

describe('dwellmap analyze --json read by a reader that stops early', () => {
  it('ends quietly, and its worker and decoders end with it', async () => {
    // stderr closes only when every process holding it (the CLI, the worker, ffmpeg) has exited.
    const child = spawn(process.execPath, [resolve('bin/dwellmap.js'), 'analyze', oneByOne, '--out', join(tmp, 'stopped-early'), '--sample', 'every:1', '--json'])
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.stdout.once('data', () => child.stdout.destroy())
    const stderrClosed = new Promise((ok) => child.stderr.on('close', ok))
    const code = await new Promise((ok) => child.on('exit', (c, signal) => ok(c ?? signal)))
    await stderrClosed
    expect(code).toBe(141)
    expect(stderr).toBe('')
  }, 60_000)
})

describe('dwellmap analyze into a folder that holds an earlier analysis', () => {
  it('leaves no file of the earlier one that the new one does not write (hours.npy after a seed run)', async () => {
    const out = join(tmp, 'rerun')
    expect((await dwellmap('analyze', oneByOne, '--out', out, '--sample', 'every:25')).code).toBe(0)
    expect(existsSync(join(out, 'hours.npy'))).toBe(true)
    expect((await dwellmap('analyze', oneByOne, '--out', out, '--method', 'seed', '--sample', 'every:25')).code).toBe(0)
    expect(existsSync(join(out, 'hours.npy'))).toBe(false)
    expect(SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))).settings.method).toBe('seed')
  }, 120_000)
})

describe('dwellmap analyze stopped with Ctrl-C', () => {
  it('keeps the tasks it finished, says how to resume, and the next run resumes them', async () => {
    const clips = ['ctrl-c-a.mp4', 'ctrl-c-b.mp4', 'ctrl-c-c.mp4', 'ctrl-c-d.mp4'].map((n) => join(tmp, n))
    await runFile(locateFfmpeg().ffmpeg, testClipArgs({ size: '320x180', rate: 10, seconds: 64, gop: 10, ultrafast: true }, clips[0]))
    // Other bytes each: the same bytes under another name would be refused as a copy.
    for (const [i, c] of clips.slice(1).entries()) await runFile(locateFfmpeg().ffmpeg, distinctCopyArgs(clips[0], c, String(i)))
    const args = (out: string): string[] => [resolve('bin/dwellmap.js'), 'analyze', ...clips, '--out', out, '--sample', 'every:1', '--json']
    const out = join(tmp, 'ctrl-c')
    // Its own process group, which a terminal's Ctrl-C signals as a whole: the CLI, the worker, ffmpeg.
    const child = spawn(process.execPath, args(out), { detached: true })
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    let interrupted = false
    child.stdout.on('data', (c: Buffer) => {
      const done = Math.max(0, ...[...c.toString().matchAll(/"framesDone":(\d+)/g)].map((m) => Number(m[1])))
      // Well after the first save (after the first finished task); the next is 10 s away.
      if (!interrupted && done > 1300) {
        interrupted = true
        process.kill(-child.pid!, 'SIGINT')
      }
    })
    const code = await new Promise((ok) => child.on('exit', (c, signal) => ok(c ?? signal)))
    expect(interrupted).toBe(true)
    expect(code).toBe(130)
    expect(stderr.trim()).toBe('dwellmap: cancelled; what was finished is kept: run the same command again to resume')

    const resumed = JSON.parse((await runFile(process.execPath, args(out))).stdout.trim().split('\n').at(-1)!) as { summary: Summary }
    // Every task finished before Ctrl-C, not only the one saved first.
    expect(resumed.summary.resumedTasks).toBeGreaterThanOrEqual(2)
    const fresh = JSON.parse((await runFile(process.execPath, args(join(tmp, 'ctrl-c-fresh')))).stdout.trim().split('\n').at(-1)!) as { summary: Summary }
    expect(resumed.summary.frames).toEqual(fresh.summary.frames)
    expect((await readFile(join(out, 'heatmap.npy'))).equals(await readFile(join(tmp, 'ctrl-c-fresh', 'heatmap.npy')))).toBe(true)
  }, 120_000)
})

describe('bad input gets one clear line naming the file', () => {
  const cases: Array<[string, (dir: string) => Promise<string>, RegExp]> = [
    ['missing', async (dir) => join(dir, 'nope.mp4'), /file not found/],
    ['empty', async (dir) => { const p = join(dir, 'empty.mp4'); await writeFile(p, ''); return p }, /empty \(0 bytes\)/],
    ['not a video', async (dir) => { const p = join(dir, 'notes.mp4'); await writeFile(p, 'these are my shop notes, not footage\n'.repeat(50)); return p }, /not a video/],
    ['truncated', async (dir) => { const p = join(dir, 'cut.mp4'); await copyFile(oneByOne, p); await truncate(p, 4000); return p }, /not a video|could not be decoded|no usable frame/],
    // A recording cut off by a power cut: its frames are there, the index the recorder writes last is not.
    ['cut off before its index', async (dir) => {
      const p = join(dir, 'power-cut.mp4')
      await runFile(locateFfmpeg().ffmpeg, ['-v', 'error', '-y', '-i', oneByOne, '-t', '4', '-c', 'copy', p])
      await truncate(p, Math.floor((await stat(p)).size / 2))
      return p
    }, /not a video ffmpeg can read \(the recording stops before its index, as when the recorder loses power/]
  ]
  for (const [name, make, message] of cases) {
    it(name, async () => {
      const file = await make(tmp)
      const r = await dwellmap('analyze', file, '--out', join(tmp, `out-${name.replace(/ /g, '-')}`), '--method', 'seed')
      expect(r.code).not.toBe(0)
      const lines = r.stderr.trim().split('\n')
      expect(lines.at(-1)).toMatch(message)
      expect(lines.at(-1)).toContain(file)
      expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    })
  }

  it('analyses the good clip next to a bad one, and says what was wrong with the bad one', async () => {
    const bad = join(tmp, 'empty2.mp4')
    await writeFile(bad, '')
    const out = join(tmp, 'mixed')
    const r = await dwellmap('analyze', bad, oneByOne, '--out', out, '--method', 'seed', '--sample', 'every:25')
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`${bad}: file is empty`)
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')))
    expect(summary.inputs.map((i) => i.status).sort()).toEqual(['analysed', 'rejected'])
  })
})
