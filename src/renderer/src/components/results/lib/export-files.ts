// Exports: what each button gives the owner, file names that say what is inside, and the bytes
// of a file the app sent (base64) or Plotly drew (a data: URL), ready for a download link.
import type { ExportFile, ExportKind, TimeWindow } from '../../../../../shared/app-api'

export interface ExportChoice {
  kind: ExportKind | 'view-png'
  label: string
  /** What the file is for, in plain words. */
  detail: string
  /** Covers the hours shown (else the whole day). */
  followsWindow: boolean
}

export const EXPORT_CHOICES: readonly ExportChoice[] = [
  { kind: 'view-png', label: 'Picture of this view (PNG)', detail: 'Exactly what you see above, zoom and areas included: for a message or a slide.', followsWindow: true },
  { kind: 'report-html', label: 'Report of the whole day (HTML)', detail: 'One file that opens in any web browser, on any computer, without Dwellmap.', followsWindow: false },
  { kind: 'heatmap-png', label: 'Full heatmap (PNG)', detail: 'The whole day over the camera picture, at full size.', followsWindow: false },
  { kind: 'zones-csv', label: 'Areas (CSV)', detail: 'Each area’s share of time, by hour, for the hours shown: opens in Excel or any spreadsheet.', followsWindow: true },
  { kind: 'grid-csv', label: 'Heatmap values (CSV)', detail: 'The value of every place in the picture for the hours shown, for a spreadsheet.', followsWindow: true },
  { kind: 'heatmap-npy', label: 'Heatmap values (NPY)', detail: 'The same values for NumPy and other analysis tools.', followsWindow: true }
]

/** What the export panel says while a time window is shown: which files follow it. */
export function exportWindowNote(windowLabel: string): string {
  return `The picture of this view, the heatmap values and the areas cover ${windowLabel} only; the full heatmap picture and the report cover the whole day.`
}

/** What the export panel says when the hours picked hold no footage: only the whole day's files can be made. */
export function noFootageExportNote(windowLabel: string): string {
  return `There is no footage from ${windowLabel}, so the picture of this view, the heatmap values and the areas cannot be saved for those hours; the full heatmap picture and the report cover the whole day.`
}

/** A piece of a file name: lower case letters, digits and dashes. */
export function fileStem(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48)
      .replace(/-+$/, '') || 'dwellmap'
  )
}

/** "shop-tuesday-12-14h-view.png": what, when, and that it is the zoomed view. */
export function viewPngFileName(projectName: string, dayName: string, window: TimeWindow | null): string {
  const when = window ? `-${String(window.fromHour).padStart(2, '0')}-${String(window.toHour).padStart(2, '0')}h` : ''
  return `${fileStem(projectName)}-${fileStem(dayName)}${when}-view.png`
}

/** A safe download name for what the app sent: no folders, nothing hidden, never empty. */
export function downloadName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f<>:"|?*]+/g, '_').replace(/^\.+/, '').trim()
  return cleaned.length > 0 ? cleaned.slice(0, 160) : fallback
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(base64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return bytes
}

/** The bytes and type of a base64 data: URL (Plotly.toImage gives one). */
export function dataUrlBytes(url: string): { mime: string; bytes: Uint8Array<ArrayBuffer> } {
  const match = /^data:([^;,]+)(;base64)?,(.*)$/s.exec(url)
  if (!match) throw new Error('not a data: URL')
  const [, mime, base64, payload] = match
  if (base64) return { mime, bytes: base64ToBytes(payload) }
  return { mime, bytes: new TextEncoder().encode(decodeURIComponent(payload)) as Uint8Array<ArrayBuffer> }
}

/** The file the app sent, as a download. */
export function exportedDownload(file: ExportFile, kind: ExportKind): { name: string; mime: string; bytes: Uint8Array<ArrayBuffer> } {
  return { name: downloadName(file.fileName, `dwellmap-${kind}`), mime: file.mime || 'application/octet-stream', bytes: base64ToBytes(file.base64) }
}

/** "12.4 KB" for the "saved" message. */
export function sizeLabel(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}
