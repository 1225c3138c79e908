// report.html: one self-contained page (Plotly inlined, pictures as data URLs) that opens offline
// in any browser, for sharing a result with people who do not have Dwellmap.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { DisplayGrid } from '../../shared/api'

export interface ReportMap {
  title: string
  grid: DisplayGrid
  /** Analysis-grid size: the picture and axes are in these pixels. */
  width: number
  height: number
  backgroundPngBase64: string
  /** Values are multiplied by this for display (100 for shares shown in percent). */
  scale: number
  colorbarTitle: string
  diverging: boolean
}

export interface ReportContent {
  title: string
  subtitle: string
  maps: ReportMap[]
  hours: Array<{ start: string; value: number }>
  hoursTitle: string
  tables: Array<{ caption: string; rows: Array<[string, string]> }>
}

let plotlySource: Promise<Buffer> | null = null

/** Plotly's minified build, read once per process. Kept as bytes: the page is assembled around
 *  them, so its 3.6 MB are neither decoded nor encoded again (~50 ms of the worker's last work). */
function plotly(): Promise<Buffer> {
  plotlySource ??= readFile(createRequire(import.meta.url).resolve('plotly.js-dist-min'))
  return plotlySource
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

// Runs in the report's page: draws every map and the hours chart from the embedded data.
const PAGE_SCRIPT = `
const data = JSON.parse(document.getElementById('report-data').textContent);
function values(grid, scale) {
  const bin = atob(grid.valuesBase64); const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const v = new Float32Array(bytes.buffer); const rows = [];
  for (let y = 0; y < grid.height; y++) rows.push(Array.from(v.subarray(y * grid.width, (y + 1) * grid.width), (x) => Number.isFinite(x) ? x * scale : null));
  return rows;
}
const heat = [[0,'rgba(49,54,149,0)'],[0.08,'rgba(49,54,149,0.35)'],[0.3,'rgba(69,117,180,0.75)'],[0.5,'rgba(116,196,118,0.85)'],[0.7,'rgba(254,224,84,0.95)'],[0.85,'rgba(244,109,67,1)'],[1,'rgba(165,0,38,1)']];
const diverging = [[0,'rgb(33,102,172)'],[0.4,'rgba(146,197,222,0.8)'],[0.5,'rgba(247,247,247,0)'],[0.6,'rgba(244,165,130,0.8)'],[1,'rgb(178,24,43)']];
const zmaxOf = (rows) => rows.reduce((m, r) => r.reduce((a, v) => v === null ? a : Math.max(a, Math.abs(v)), m), 0) || 1;
const shared = data.maps.some((m) => !m.diverging) ? Math.max(...data.maps.filter((m) => !m.diverging).map((m) => zmaxOf(values(m.grid, m.scale)))) : 1;
data.maps.forEach((m, i) => {
  const rows = values(m.grid, m.scale); const off = (m.grid.cell - 1) / 2; const lim = m.diverging ? zmaxOf(rows) : shared;
  Plotly.newPlot('map-' + i, [{ type: 'heatmap', z: rows, x0: off, dx: m.grid.cell, y0: off, dy: m.grid.cell,
    zmin: m.diverging ? -lim : 0, zmax: lim, colorscale: m.diverging ? diverging : heat, hoverongaps: false,
    colorbar: { title: { text: m.colorbarTitle, side: 'right' } },
    hovertemplate: 'x %{x:.0f}, y %{y:.0f} px<br>%{z:.3~g}<extra></extra>' }],
    { margin: { l: 40, r: 10, t: 10, b: 30 }, xaxis: { range: [-0.5, m.width - 0.5], showgrid: false, zeroline: false, constrain: 'domain' },
      yaxis: { range: [m.height - 0.5, -0.5], scaleanchor: 'x', showgrid: false, zeroline: false, constrain: 'domain' },
      images: [{ source: 'data:image/png;base64,' + m.backgroundPngBase64, xref: 'x', yref: 'y', x: -0.5, y: -0.5, sizex: m.width, sizey: m.height, sizing: 'stretch', layer: 'below' }] },
    { responsive: true, displaylogo: false, showSendToCloud: false, plotlyServerURL: '' });
});
if (data.hours.length) Plotly.newPlot('hours', [{ type: 'bar', x: data.hours.map((h) => h.start.replace('T', ' ').slice(0, 16)), y: data.hours.map((h) => h.value), marker: { color: '#f46d43' } }],
  { margin: { l: 50, r: 10, t: 10, b: 40 }, xaxis: { type: 'category' }, yaxis: { title: { text: data.hoursTitle } } }, { displaylogo: false, showSendToCloud: false, plotlyServerURL: '' });
`

/** The page, as UTF-8 bytes. */
export async function renderReport(content: ReportContent): Promise<Buffer> {
  const maps = content.maps
    .map((m, i) => `<section class="map"><h2>${escapeHtml(m.title)}</h2><div id="map-${i}" class="plot"></div></section>`)
    .join('\n')
  const tables = content.tables
    .map((t) => `<table><caption>${escapeHtml(t.caption)}</caption>${t.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`)
    .join('\n')
  const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; padding: 1.5rem; max-width: 1200px; color: #1d2330; }
h1 { margin: 0; font-size: 1.6rem; } .subtitle { color: #5b6475; margin: 0 0 1rem; }
.maps { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1rem; }
.plot { height: 420px; } h2 { font-size: 1.1rem; margin: 0.5rem 0; }
table { border-collapse: collapse; margin: 1rem 0; min-width: 50%; } caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { text-align: left; padding: 0.25rem 0.75rem; border-bottom: 1px solid #e3e6ec; vertical-align: top; } th { color: #5b6475; font-weight: 500; }
</style>
</head>
<body>
<h1>${escapeHtml(content.title)}</h1>
<p class="subtitle">${escapeHtml(content.subtitle)}</p>
<div class="maps">${maps}</div>
${content.hours.length ? '<section><h2>Activity by hour</h2><div id="hours" class="plot" style="height:260px"></div></section>' : ''}
${tables}
<script type="application/json" id="report-data">${scriptJson({ maps: content.maps, hours: content.hours, hoursTitle: content.hoursTitle })}</script>
<script>`
  const tail = `</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
  return Buffer.concat([Buffer.from(head), await plotly(), Buffer.from(tail)])
}
