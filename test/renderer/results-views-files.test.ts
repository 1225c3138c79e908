// Exports and figures: file names, bytes for download links, the charts built from the contract.
import { describe, expect, it } from 'vitest'
import type { CompareView, DayResult } from '../../src/shared/app-api'
import type { Summary } from '../../src/shared/summary'
import {
  compareDayTrace,
  differenceRows,
  differenceTrace,
  DIVERGING_COLORSCALE,
  escapeTemplate,
  hourChart,
  symmetricLimit,
  zoneHourChart,
  zoneShapes,
  zoneShareChart
} from '../../src/renderer/src/components/results/lib/charts'
import { base64ToBytes, dataUrlBytes, downloadName, EXPORT_CHOICES, exportedDownload, exportWindowNote, fileStem, sizeLabel, viewPngFileName } from '../../src/renderer/src/components/results/lib/export-files'
import { gridRows } from '../../src/renderer/src/lib/heatmap-figure'
import { ExportKindSchema } from '../../src/shared/app-api'

describe('export files', () => {
  it('offers every export kind of the contract, and the view as PNG', () => {
    const kinds = EXPORT_CHOICES.map((c) => c.kind)
    for (const kind of ExportKindSchema.options) expect(kinds).toContain(kind)
    expect(kinds).toContain('view-png')
  })

  it('says which files follow the time window, and that the report is the whole day', () => {
    const note = exportWindowNote('12:00 to 14:00')
    expect(note).toContain('the heatmap values and the areas cover 12:00 to 14:00 only')
    expect(note).toContain('the full heatmap picture and the report cover the whole day')
    expect(EXPORT_CHOICES.find((c) => c.kind === 'report-html')?.label).toBe('Report of the whole day (HTML)')
  })

  it('names files after what is inside', () => {
    expect(fileStem('Corner Shop (Main St.)')).toBe('corner-shop-main-st')
    expect(fileStem('')).toBe('dwellmap')
    expect(viewPngFileName('Corner shop', 'Tuesday 4 March', null)).toBe('corner-shop-tuesday-4-march-view.png')
    expect(viewPngFileName('Shop', 'Tue', { fromHour: 9, toHour: 14 })).toBe('shop-tue-09-14h-view.png')
  })

  it('keeps downloaded names plain: no folders, no hidden files', () => {
    expect(downloadName('../../etc/passwd', 'x')).toBe('passwd')
    expect(downloadName('C:\\a\\report.html', 'x')).toBe('report.html')
    expect(downloadName('.hidden', 'x')).toBe('hidden')
    expect(downloadName('', 'fallback.csv')).toBe('fallback.csv')
    expect(downloadName('a<b>:c.csv', 'x')).toBe('a_b_c.csv')
  })

  it('decodes base64 and data: URLs into bytes', () => {
    expect([...base64ToBytes('iVBORw==')]).toEqual([0x89, 0x50, 0x4e, 0x47])
    const png = dataUrlBytes('data:image/png;base64,iVBORw==')
    expect(png.mime).toBe('image/png')
    expect([...png.bytes]).toEqual([0x89, 0x50, 0x4e, 0x47])
    expect(new TextDecoder().decode(dataUrlBytes('data:text/plain,a%20b').bytes)).toBe('a b')
    expect(() => dataUrlBytes('http://example.com/x.png')).toThrow()
  })

  it('turns what the app sent into a download', () => {
    const file = exportedDownload({ fileName: 'shop-mon-zones.csv', mime: 'text/csv', base64: btoa('zone,share\n') }, 'zones-csv')
    expect(file.name).toBe('shop-mon-zones.csv')
    expect(file.mime).toBe('text/csv')
    expect(new TextDecoder().decode(file.bytes)).toBe('zone,share\n')
    expect(exportedDownload({ fileName: '', mime: '', base64: '' }, 'heatmap-npy').name).toBe('dwellmap-heatmap-npy')
  })

  it('writes sizes for people', () => {
    expect(sizeLabel(512)).toBe('512 bytes')
    expect(sizeLabel(12_400)).toBe('12.4 KB')
    expect(sizeLabel(3_200_000)).toBe('3.2 MB')
  })
})

function grid(values: number[], width: number, height: number) {
  const bytes = new Uint8Array(new Float32Array(values).buffer)
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return { width, height, cell: 1, valuesBase64: btoa(bin) }
}

function summary(method: 'occupancy' | 'seed'): Summary {
  return { settings: { method }, unit: 'sum', grid: { width: 2, height: 2 } } as unknown as Summary
}

function day(values: number[], method: 'occupancy' | 'seed' = 'occupancy'): DayResult {
  return {
    view: { id: 'p.d', summary: summary(method), grid: grid(values, 2, 2), referenceDataUrl: 'data:image/png;base64,' },
    hours: [
      { start: '2025-05-02T09:00:00', framesUsed: 10, meanShare: 0.05 },
      { start: '2025-05-02T10:00:00', framesUsed: 10, meanShare: 0.1 }
    ],
    window: null,
    zones: []
  }
}

describe('charts from the contract', () => {
  it('draws activity by hour in percent, highlighting the window, with the hour for a click', () => {
    const { data, layout } = hourChart(day([0, 0, 0, 0]).hours, { fromHour: 10, toHour: 11 })
    expect(data[0].x).toEqual(['09:00', '10:00'])
    expect(data[0].y).toEqual([5, 10])
    expect(data[0].customdata).toEqual([9, 10])
    const colours = (data[0].marker as { color: string[] }).color
    expect(colours[0]).not.toBe(colours[1])
    expect(layout.yaxis?.ticksuffix).toBe(' %')
  })

  it('outlines zones with their names, in plot coordinates', () => {
    const zones = [{ id: 'checkout', name: 'checkout', points: [[0, 0], [0.5, 0], [0.5, 0.5]] as Array<[number, number]> }]
    const [shape] = zoneShapes(zones, { width: 100, height: 50 }, 'checkout')
    expect(shape.type).toBe('path')
    expect(shape.path).toBe('M-0.5,-0.5 L49.5,-0.5 L49.5,24.5 Z')
    expect(shape.label?.text).toBe('checkout')
    expect(shape.line?.width).toBe(4)
  })

  it('charts zones busiest first and by hour', () => {
    const zones = [
      { id: 'a', name: 'A', points: [[0, 0], [1, 0], [1, 1]] as Array<[number, number]> },
      { id: 'b', name: 'B', points: [[0, 0], [1, 0], [1, 1]] as Array<[number, number]> }
    ]
    const figures = [
      { zoneId: 'a', name: 'A', share: 0.3, byHour: [{ hour: '2025-05-02T09:00:00', share: 0.3 }] },
      { zoneId: 'b', name: 'B', share: 0.1, byHour: [{ hour: '2025-05-02T09:00:00', share: 0.1 }] }
    ]
    const share = zoneShareChart(figures, zones)
    // Horizontal bars draw bottom-up: the busiest last, at the top.
    expect(share.data[0].y).toEqual(['B', 'A'])
    expect(share.data[0].x).toEqual([10, 30])
    const byHour = zoneHourChart(figures, zones)
    expect(byHour.data.map((d) => d.name)).toEqual(['A', 'B'])
    expect(byHour.data[0].x).toEqual(['09:00'])
  })

  it('keeps names from being read as hover template code', () => {
    expect(escapeTemplate('A %{z} <b>')).toBe('A %&#123;z} &#60;b&#62;')
  })

  it('puts both days on the shared scale and centres the difference on zero', () => {
    const a = day([0, 0.1, 0.2, 0.4])
    const b = day([0, 0.3, 0.1, 0.4])
    const compare: CompareView = {
      a,
      b,
      difference: grid([0, 0.2, -0.1, 0], 2, 2),
      sharedMax: 0.4,
      zones: []
    }
    const traceA = compareDayTrace(a, gridRows(a.view), compare.sharedMax, 0.7, 'Monday')
    expect(traceA.zmax).toBeCloseTo(40)
    expect(traceA.zmin).toBe(0)
    expect(traceA.hovertemplate).toContain('% of time occupied')
    const diff = differenceRows(compare)
    expect(diff.limit).toBeCloseTo(20)
    const trace = differenceTrace(compare, diff, 0.9, 'Monday', 'Tuesday')
    expect(trace.zmid).toBe(0)
    expect(trace.zmin).toBeCloseTo(-20)
    expect(trace.zmax).toBeCloseTo(20)
    expect(trace.hovertemplate).toContain('Tuesday against Monday')
    expect(trace.hovertemplate).toContain('points')
  })

  it('uses a diverging scale: blue below, clear at zero, red above', () => {
    const middle = DIVERGING_COLORSCALE.find(([at]) => at === 0.5)
    expect(middle?.[1]).toMatch(/, 0\)$/)
    expect(DIVERGING_COLORSCALE[0][1]).toMatch(/^rgba\(5, 48, 97/)
    expect(DIVERGING_COLORSCALE.at(-1)?.[1]).toMatch(/^rgba\(103, 0, 31/)
    expect(symmetricLimit([[null, -3, 2]])).toBe(3)
    expect(symmetricLimit([[0, null]])).toBe(1)
  })
})
