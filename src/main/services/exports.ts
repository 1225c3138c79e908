// Files the owner can save from a day's result: the picture, the numbers for a spreadsheet, the
// raw array for analysts, and the report page that opens anywhere.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExportFile, ExportKind, TimeWindow, ZoneFigure } from '../../shared/app-api'
import { RESULT_FILES } from '../../shared/summary'
import { encodeNpy } from '../formats/npy'
import { AppError, isMissing } from './app-error'
import { inWindow, shareGrid, zoneFigures, type LoadedResult, type ShareGrid } from './day-results'
import type { Zone } from '../../shared/project'

/** Percent with up to two decimals, a dot as decimal separator (what every spreadsheet reads from CSV). */
function percent(share: number): string {
  return Number.isFinite(share) ? String(Math.round(share * 10000) / 100) : ''
}

/**
 * A text field. A name starting with = + - @ (or a tab or carriage return) would be run as a
 * formula by a spreadsheet opening the file: it gets a leading apostrophe, the usual guard
 * (OWASP's CSV injection advice), which the spreadsheet shows as plain text.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * The heatmap as a matrix: one CSV row per picture row, one column per picture column, each
 * cell the percentage of time that place was occupied. Chosen over long x,y,share rows because a
 * spreadsheet user opens it and sees the picture's layout: a colour-scale rule turns it into
 * the heatmap, and a cell's neighbours are its neighbours in the shop. The first row holds
 * the x pixel of each column, the first column the y pixel of each row (analysis-grid pixels).
 */
export function gridCsv(grid: ShareGrid): string {
  const lines: string[] = []
  const header = ['y\\x']
  for (let x = 0; x < grid.width; x++) header.push(String(x))
  lines.push(header.join(','))
  for (let y = 0; y < grid.height; y++) {
    const row = [String(y)]
    for (let x = 0; x < grid.width; x++) row.push(percent(grid.values[y * grid.width + x]))
    lines.push(row.join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

/**
 * One row per area: its share of the day (percent of time occupied, averaged over the area) and
 * one column per clock hour, headed by the hour's start ("2026-03-09 08:00").
 */
export function zonesCsv(zones: ZoneFigure[], hours: string[]): string {
  const header = ['zone', 'share (% of time)', ...hours.map((h) => h.replace('T', ' ').slice(0, 16))]
  const lines = [header.map(csvField).join(',')]
  for (const zone of zones) {
    const byHour = new Map(zone.byHour.map((h) => [h.hour, h.share]))
    lines.push([csvField(zone.name), percent(zone.share), ...hours.map((h) => (byHour.has(h) ? percent(byHour.get(h)!) : ''))].join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

export const EXPORT_FILES: Record<ExportKind, { suffix: string; mime: string }> = {
  'heatmap-png': { suffix: 'heatmap.png', mime: 'image/png' },
  'grid-csv': { suffix: 'heatmap.csv', mime: 'text/csv' },
  'zones-csv': { suffix: 'zones.csv', mime: 'text/csv' },
  'heatmap-npy': { suffix: 'heatmap.npy', mime: 'application/octet-stream' },
  'report-html': { suffix: 'report.html', mime: 'text/html' }
}

/** The result file behind a kind that is exported as it is. */
const RESULT_FILE_OF: Partial<Record<ExportKind, string>> = {
  'heatmap-png': RESULT_FILES.heatmapPng,
  'heatmap-npy': RESULT_FILES.heatmapNpy,
  'report-html': RESULT_FILES.reportHtml
}

export interface ExportFigures {
  share: ShareGrid
  zones: ZoneFigure[]
  /** The hour starts the zones CSV has columns for. */
  hours: string[]
}

/** The figures of the hours of `window` (null: the whole day), from the hourly counts. */
export function exportFigures(result: LoadedResult, zones: Zone[], window: TimeWindow | null, dayName: string): ExportFigures {
  const share = shareGrid(result, window, dayName)
  const hours = result.summary.hours.filter((h) => inWindow(h.start, window)).map((h) => h.start)
  return { share, zones: zoneFigures(result, share, zones, window), hours }
}

/**
 * Kinds that follow the time window the owner picked (the figures are recomputed from the hourly
 * counts); the pictures and the report are made by the analysis and cover the whole day.
 */
export const WINDOWED_EXPORTS: ReadonlySet<ExportKind> = new Set(['grid-csv', 'zones-csv', 'heatmap-npy'])

/** "shop-monday-12-14h-heatmap.csv": the window is in the name, so two exports never mix up. */
export function exportFileName(names: { project: string; day: string }, kind: ExportKind, window: TimeWindow | null): string {
  const hh = (h: number): string => String(h).padStart(2, '0')
  const when = window && WINDOWED_EXPORTS.has(kind) ? `-${hh(window.fromHour)}-${hh(window.toHour)}h` : ''
  return `${names.project}-${names.day}${when}-${EXPORT_FILES[kind].suffix}`
}

export async function exportFile(
  kind: ExportKind,
  names: { project: string; day: string; dayName: string },
  resultDir: string,
  window: TimeWindow | null,
  computed: (window: TimeWindow | null) => Promise<ExportFigures>
): Promise<ExportFile> {
  const { mime } = EXPORT_FILES[kind]
  const fileName = exportFileName(names, kind, window)
  const windowed = window !== null && WINDOWED_EXPORTS.has(kind)
  // The NPY of the whole day is the analysis's own file, byte for byte.
  const file = windowed ? undefined : RESULT_FILE_OF[kind]
  let bytes: Buffer
  if (file) {
    try {
      bytes = await readFile(join(resultDir, file))
    } catch (error) {
      if (isMissing(error)) throw new AppError('not-found', `${names.dayName} has no ${file} yet; analyse the day first.`)
      throw error
    }
  } else {
    const { share, zones, hours } = await computed(windowed ? window : null)
    if (kind === 'zones-csv' && zones.length === 0) throw new AppError('invalid', 'There are no areas drawn on the picture yet, so there are no area figures to export.')
    if (kind === 'heatmap-npy') bytes = encodeNpy({ width: share.width, height: share.height, data: share.values })
    else bytes = Buffer.from(kind === 'grid-csv' ? gridCsv(share) : zonesCsv(zones, hours), 'utf8')
  }
  return { fileName, mime, base64: bytes.toString('base64') }
}
