// Exports follow the time window picked in the heatmap view: the CSVs and the NPY are recomputed
// from the hourly counts; the heatmap picture and the report stay the whole day's files.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportKind, TimeWindow } from '../../src/shared/app-api'
import { ExportKindSchema } from '../../src/shared/app-api'
import { decodeNpy, encodeNpy } from '../../src/main/formats/npy'
import { csvField, exportFigures, exportFile, exportFileName, WINDOWED_EXPORTS } from '../../src/main/services/exports'
import { fakeResult, HALVES } from '../helpers/fake-result'

let dir: string
const names = { project: 'shop', day: 'monday', dayName: 'Monday' }
const result = fakeResult()
const dayNpy = encodeNpy({ width: 4, height: 2, data: result.heatmap })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-exports-'))
  await writeFile(join(dir, 'heatmap.npy'), dayNpy)
  await writeFile(join(dir, 'heatmap.png'), 'png of the whole day')
  await writeFile(join(dir, 'report.html'), '<!doctype html> the whole day')
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function exported(kind: ExportKind, window: TimeWindow | null): Promise<{ fileName: string; bytes: Buffer }> {
  const file = await exportFile(kind, names, dir, window, async (within) => exportFigures(result, HALVES, within, names.dayName))
  return { fileName: file.fileName, bytes: Buffer.from(file.base64, 'base64') }
}

function csvRows(bytes: Buffer): string[][] {
  return bytes.toString('utf8').trimEnd().split('\r\n').map((line) => line.split(','))
}

describe('exports for a time window', () => {
  it('gives the NPY of the hours asked for: their counts over their frames', async () => {
    const whole = await exported('heatmap-npy', null)
    // Without a window: the analysis's own file, byte for byte.
    expect(whole.bytes.equals(dayNpy)).toBe(true)
    expect(whole.fileName).toBe('shop-monday-heatmap.npy')
    const nine = await exported('heatmap-npy', { fromHour: 9, toHour: 12 })
    expect(nine.fileName).toBe('shop-monday-09-12h-heatmap.npy')
    const grid = decodeNpy(nine.bytes)
    expect([grid.width, grid.height]).toEqual([4, 2])
    expect(Array.from(grid.data)).toEqual([0, 0, 1, 0.5, 0, 0, 1, 0.5])
  })

  it('gives the grid CSV of the hours asked for', async () => {
    const eight = await exported('grid-csv', { fromHour: 8, toHour: 9 })
    expect(eight.fileName).toBe('shop-monday-08-09h-heatmap.csv')
    expect(csvRows(eight.bytes).slice(1).map((r) => r.slice(1))).toEqual([['100', '50', '0', '0'], ['100', '50', '0', '0']])
    const whole = csvRows((await exported('grid-csv', null)).bytes)
    expect(whole[1].slice(1)).toEqual(['25', '12.5', '75', '37.5'])
  })

  it('gives the area CSV with the hours of the window only', async () => {
    const nine = csvRows((await exported('zones-csv', { fromHour: 9, toHour: 10 })).bytes)
    expect(nine[0]).toEqual(['zone', 'share (% of time)', '2026-03-09 09:00'])
    expect(nine[1]).toEqual(['Left', '0', '0'])
    expect(nine[2]).toEqual(['Right', '75', '75'])
    const whole = csvRows((await exported('zones-csv', null)).bytes)
    expect(whole[0]).toEqual(['zone', 'share (% of time)', '2026-03-09 08:00', '2026-03-09 09:00'])
    expect(whole[1]).toEqual(['Left', '18.75', '75', '0'])
  })

  it('keeps the heatmap picture and the report whole-day, and says nothing of the window in their names', async () => {
    expect([...WINDOWED_EXPORTS].sort()).toEqual(['grid-csv', 'heatmap-npy', 'zones-csv'])
    const png = await exported('heatmap-png', { fromHour: 9, toHour: 10 })
    expect(png).toEqual({ fileName: 'shop-monday-heatmap.png', bytes: Buffer.from('png of the whole day') })
    const report = await exported('report-html', { fromHour: 9, toHour: 10 })
    expect(report.fileName).toBe('shop-monday-report.html')
    expect(report.bytes.toString('utf8')).toContain('the whole day')
    for (const kind of ExportKindSchema.options) expect(exportFileName(names, kind, null)).not.toMatch(/\d\dh-/)
  })

  it('refuses a window without footage, naming the day and the hours', async () => {
    await expect(exported('grid-csv', { fromHour: 13, toHour: 15 })).rejects.toThrow('Monday has no footage between 13:00-15:00.')
  })
})

describe('area names in the CSV', () => {
  it('are never run as formulas by a spreadsheet, and keep their quotes and commas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    for (const name of ['+1', '-2', '@SUM(A1)', '\tx']) expect(csvField(name)).toBe(`'${name}`)
    expect(csvField('Checkout, left')).toBe('"Checkout, left"')
    expect(csvField('Window display')).toBe('Window display')
    expect(csvField('a-b')).toBe('a-b')
  })
})
