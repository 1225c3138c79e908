// The result files a user takes away: per-hour sums, the standalone report, and a comparison.
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { dwellmap } from '../helpers/run-cli'
import { SummarySchema } from '../../src/shared/summary'
import { CompareSummarySchema } from '../../src/main/results/compare-results'
import { decodeNpy } from '../../src/main/formats/npy'
import { DEMO_DAYS, generateClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'

let tmp: string
const days: string[] = []

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-results-'))
  const { ffmpeg } = locateFfmpeg()
  for (const spec of DEMO_DAYS) {
    const clip = await generateClip({ ...spec, seconds: 30 }, join(tmp, 'footage'), ffmpeg)
    const out = join(tmp, spec.name)
    // A clock time for the day, so that hours line up with the wall clock.
    const r = await dwellmap('analyze', clip.videoPath, '--out', out, '--start', '2026-03-09T09:59:45')
    expect(r.stderr).toBe('')
    days.push(out)
  }
})

describe('per-hour sums', () => {
  it('split the day by clock hour and add up to the whole-day heatmap', async () => {
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(days[0], 'summary.json'), 'utf8')))
    expect(summary.inputs[0].startedAt).toBe('2026-03-09T09:59:45')
    expect(summary.inputs[0].startSource).toBe('given')
    // 30 s starting 15 s before ten: two clock hours.
    expect(summary.hours.map((h) => h.start)).toEqual(['2026-03-09T09:00:00', '2026-03-09T10:00:00'])
    expect(summary.hours.reduce((n, h) => n + h.framesUsed, 0)).toBe(summary.frames.used)
    const buf = await readFile(join(days[0], 'hours.npy'))
    expect(buf.subarray(10, 120).toString('latin1')).toContain(`'shape': (2, ${summary.grid.height}, ${summary.grid.width})`)
    const heat = decodeNpy(await readFile(join(days[0], 'heatmap.npy')))
    const size = heat.width * heat.height
    const counts = new Float32Array(buf.buffer.slice(buf.byteOffset + buf.length - 2 * size * 4, buf.byteOffset + buf.length))
    let worst = 0
    for (let i = 0; i < size; i++) worst = Math.max(worst, Math.abs((counts[i] + counts[size + i]) / summary.frames.used - heat.data[i]))
    expect(worst).toBeLessThan(1e-6)
  })
})

describe('report.html', () => {
  it('is one self-contained file: Plotly inlined, no external references', async () => {
    const html = await readFile(join(days[0], 'report.html'), 'utf8')
    expect(html).toContain('Plotly')
    expect(html).toContain('data:image/png;base64,')
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i)
  })
})

describe('dwellmap compare', () => {
  it('writes B - A on one grid, with its PNG and report', async () => {
    const out = join(tmp, 'compare')
    const r = await dwellmap('compare', days[0], days[1], '--out', out)
    expect(r.code).toBe(0)
    const summary = CompareSummarySchema.parse(JSON.parse(await readFile(join(out, 'compare.json'), 'utf8')))
    const a = decodeNpy(await readFile(join(days[0], 'heatmap.npy')))
    const b = decodeNpy(await readFile(join(days[1], 'heatmap.npy')))
    const d = decodeNpy(await readFile(join(out, 'difference.npy')))
    for (const i of [0, 1000, 50_000, d.data.length - 1]) expect(d.data[i]).toBeCloseTo(b.data[i] - a.data[i], 6)
    // The promotion moved: some places gained time and others lost it.
    expect(summary.maxIncrease).toBeGreaterThan(0.1)
    expect(summary.maxDecrease).toBeLessThan(-0.1)
    expect((await readFile(join(out, 'difference.png'))).subarray(1, 4).toString('latin1')).toBe('PNG')
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('minus')
  })

  it('refuses a directory that is not a result, naming it', async () => {
    const notResult = join(tmp, 'footage')
    const r = await dwellmap('compare', days[0], notResult, '--out', join(tmp, 'x'))
    expect(r.code).not.toBe(0)
    expect(r.stderr.trim()).toBe(`dwellmap: ${notResult}: not an analysis result (summary.json is missing)`)
  })

  it('refuses to write into an analysis\'s folder, whose report.html it would replace', async () => {
    const report = await readFile(join(days[0], 'report.html'))
    const r = await dwellmap('compare', days[0], days[1], '--out', days[0])
    expect(r.code).not.toBe(0)
    expect(r.stderr.trim()).toBe(`dwellmap: ${days[0]} holds an analysis (summary.json); write the comparison to a folder of its own`)
    expect((await readFile(join(days[0], 'report.html'))).equals(report)).toBe(true)
  })

  it('is refused by an analysis, whose report.html would replace its own', async () => {
    const out = join(tmp, 'compared')
    expect((await dwellmap('compare', days[0], days[1], '--out', out)).code).toBe(0)
    const report = await readFile(join(out, 'report.html'))
    const r = await dwellmap('analyze', join(tmp, 'footage', `${DEMO_DAYS[0].name}.mp4`), '--out', out)
    expect(r.code).not.toBe(0)
    expect(r.stderr.trim()).toBe(`dwellmap: ${out} holds a comparison (compare.json); write the analysis to a folder of its own`)
    expect((await readFile(join(out, 'report.html'))).equals(report)).toBe(true)
    expect(existsSync(join(out, 'summary.json'))).toBe(false)
  })

  it('refuses days analysed on different grids', async () => {
    const narrow = join(tmp, 'narrow')
    await dwellmap('analyze', join(tmp, 'footage', `${DEMO_DAYS[1].name}.mp4`), '--out', narrow, '--width', '320')
    const r = await dwellmap('compare', days[0], narrow, '--out', join(tmp, 'y'))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('use the same --width for both days')
  })

  it('refuses a corrupted heatmap.npy without touching the result', async () => {
    const broken = join(tmp, 'broken')
    await dwellmap('analyze', join(tmp, 'footage', `${DEMO_DAYS[1].name}.mp4`), '--out', broken)
    await writeFile(join(broken, 'heatmap.npy'), 'garbage')
    const r = await dwellmap('compare', days[0], broken, '--out', join(tmp, 'z'))
    expect(r.stderr).toContain(`${broken}: heatmap.npy is damaged (not a .npy file); analyse the day again`)
  })

  it('names the damaged file of a result: summary.json not JSON, background.png cut short', async () => {
    const cases: Array<[string, string, Buffer | string, string]> = [
      ['bad-summary', 'summary.json', '{"dwellmap": 1, ', 'summary.json is damaged (it is not valid JSON)'],
      ['bad-background', 'background.png', (await readFile(join(days[1], 'background.png'))).subarray(0, 200), 'background.png is damaged (it is not a whole PNG image)']
    ]
    for (const [name, file, bytes, problem] of cases) {
      const dir = join(tmp, name)
      await cp(days[1], dir, { recursive: true })
      await writeFile(join(dir, file), bytes)
      const r = await dwellmap('compare', days[0], dir, '--out', join(tmp, `${name}-out`))
      expect(r.code).not.toBe(0)
      expect(r.stderr.trim()).toBe(`dwellmap: ${dir}: ${problem}; analyse the day again`)
    }
  })
})
