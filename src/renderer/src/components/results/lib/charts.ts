// Plotly figures for the results views, built from the shared contract's types: the zones drawn
// on the heatmap, the activity-by-hour chart, the zone charts, and the comparison's maps.
import type { BarData, HeatmapData, Layout, Shape } from 'plotly.js-dist'
import type { CompareView, DayResult, TimeWindow, ZoneFigure } from '../../../../../shared/app-api'
import type { Zone } from '../../../../../shared/project'
import { displayGridRows, heatmapTrace, valueDisplay, type HeatmapRows } from '../../../lib/heatmap-figure'
import { hourBucketLabel } from './figures'
import { hourInWindow, hourOfStart } from './time-window'
import { centroid, fromFraction, zoneColour, zonePath, type GridSize } from './zone-geometry'

/** Zones as outlined shapes with their names, following zoom and pan (and in PNG exports). */
export function zoneShapes(zones: readonly Zone[], grid: GridSize, highlighted: string | null = null): Partial<Shape>[] {
  return zones.map((zone, i) => {
    const colour = zoneColour(i)
    const on = zone.id === highlighted
    return {
      type: 'path',
      path: zonePath(zone, grid),
      xref: 'x',
      yref: 'y',
      layer: 'above',
      line: { color: colour, width: on ? 4 : 2 },
      fillcolor: hexToRgba(colour, on ? 0.25 : 0.1),
      label: {
        text: zone.name,
        textposition: 'middle center',
        font: { color: '#ffffff', size: 13 },
        padding: 2
      }
    }
  })
}

/** Where a zone's name sits (its centre), for tests and tooltips. */
export function zoneLabelPoint(zone: Zone, grid: GridSize): [number, number] {
  return centroid(zone.points.map((p) => fromFraction(p, grid)))
}

function hexToRgba(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}

const CHART_FONT = { family: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif', size: 13, color: '#1f2328' }

function chartLayout(extra: Partial<Layout>): Partial<Layout> {
  return {
    margin: { l: 56, r: 12, t: 12, b: 44 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#ffffff',
    font: CHART_FONT,
    bargap: 0.18,
    hovermode: 'closest',
    ...extra
  }
}

/** Activity by hour: how much of the picture was occupied on average, each clock hour. */
export function hourChart(hours: DayResult['hours'], window: TimeWindow | null): { data: Partial<BarData>[]; layout: Partial<Layout> } {
  const clock = hours.map((h) => hourOfStart(h.start))
  const inWindow = clock.map((h) => h === null || hourInWindow(h, window))
  return {
    data: [
      {
        type: 'bar',
        x: hours.map((h) => hourBucketLabel(h.start)),
        y: hours.map((h) => h.meanShare * 100),
        customdata: clock.map((h) => h ?? -1),
        marker: { color: inWindow.map((on) => (on ? '#c2410c' : '#e7c2ad')) },
        hovertemplate: '%{x}: on average %{y:.1f} % of the picture occupied<extra></extra>'
      }
    ],
    layout: chartLayout({
      xaxis: { type: 'category', title: { text: 'Hour of the day' }, fixedrange: true },
      yaxis: { title: { text: '% of picture occupied' }, rangemode: 'tozero', fixedrange: true, ticksuffix: ' %' }
    })
  }
}

/** Each zone's share of time, busiest at the top, in the zones' own colours. */
export function zoneShareChart(figures: readonly ZoneFigure[], zones: readonly Zone[]): { data: Partial<BarData>[]; layout: Partial<Layout> } {
  const order = [...figures].sort((a, b) => a.share - b.share)
  return {
    data: [
      {
        type: 'bar',
        orientation: 'h',
        y: order.map((f) => f.name),
        x: order.map((f) => f.share * 100),
        marker: { color: order.map((f) => zoneColour(zones.findIndex((z) => z.id === f.zoneId))) },
        text: order.map((f) => `${(f.share * 100).toFixed(1)} %`),
        textposition: 'auto',
        hovertemplate: '%{y}: occupied %{x:.1f} % of the time<extra></extra>'
      }
    ],
    layout: chartLayout({
      margin: { l: 120, r: 12, t: 8, b: 44 },
      height: Math.max(140, 60 + order.length * 34),
      xaxis: { title: { text: '% of time occupied' }, rangemode: 'tozero', fixedrange: true, ticksuffix: ' %' },
      yaxis: { type: 'category', automargin: true, fixedrange: true }
    })
  }
}

/** Each zone's share of time hour by hour: one series per zone. */
export function zoneHourChart(figures: readonly ZoneFigure[], zones: readonly Zone[]): { data: Partial<BarData>[]; layout: Partial<Layout> } {
  return {
    data: figures.map((f) => ({
      type: 'bar',
      name: f.name,
      x: f.byHour.map((h) => hourBucketLabel(h.hour)),
      y: f.byHour.map((h) => h.share * 100),
      marker: { color: zoneColour(zones.findIndex((z) => z.id === f.zoneId)) },
      hovertemplate: `${escapeTemplate(f.name)}, %{x}: %{y:.1f} % of the time<extra></extra>`
    })),
    layout: chartLayout({
      barmode: 'group',
      showlegend: true,
      legend: { orientation: 'h', y: -0.25 },
      margin: { l: 56, r: 12, t: 8, b: 60 },
      xaxis: { type: 'category', title: { text: 'Hour of the day' }, fixedrange: true },
      yaxis: { title: { text: '% of time occupied' }, rangemode: 'tozero', fixedrange: true, ticksuffix: ' %' }
    })
  }
}

/** Names go into hover templates: keep Plotly from reading %{...} or HTML in them. */
export function escapeTemplate(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/%\{/g, '%&#123;')
}

/** A day's map in a comparison: the shared colour scale's top is the larger day's maximum. */
export function compareDayTrace(result: DayResult, heat: HeatmapRows, sharedMax: number, opacity: number, dayName: string): Partial<HeatmapData> {
  const { scale, hover } = valueDisplay(result.view)
  const top = sharedMax * scale
  return {
    ...heatmapTrace(result.view, heat, opacity),
    zmax: top > 0 ? top : 1,
    hovertemplate: `${escapeTemplate(dayName)}<br>Place: x %{x:.0f}, y %{y:.0f} px<br>Value: ${hover}<extra></extra>`
  }
}

/** Blue for less time on day B, clear for no change, red for more. */
export const DIVERGING_COLORSCALE: Array<[number, string]> = [
  [0, 'rgba(5, 48, 97, 1)'],
  [0.2, 'rgba(33, 102, 172, 0.95)'],
  [0.38, 'rgba(67, 147, 195, 0.7)'],
  [0.47, 'rgba(146, 197, 222, 0.25)'],
  [0.5, 'rgba(247, 247, 247, 0)'],
  [0.53, 'rgba(244, 165, 130, 0.25)'],
  [0.62, 'rgba(214, 96, 77, 0.7)'],
  [0.8, 'rgba(178, 24, 43, 0.95)'],
  [1, 'rgba(103, 0, 31, 1)']
]

/** The largest change either way, so that 0 sits in the middle of the scale (never 0 itself). */
export function symmetricLimit(rows: ReadonlyArray<ReadonlyArray<number | null>>): number {
  let limit = 0
  for (const row of rows) for (const v of row) if (v !== null && Number.isFinite(v) && Math.abs(v) > limit) limit = Math.abs(v)
  return limit > 0 ? limit : 1
}

/** The difference grid (B - A) in display units, with its diverging limit. */
export function differenceRows(compare: CompareView): { rows: HeatmapRows['rows']; limit: number } {
  const { rows } = displayGridRows(compare.difference, valueDisplay(compare.a.view).scale)
  return { rows, limit: symmetricLimit(rows) }
}

/** The unit of a difference: percentage points for occupancy, the maps' own unit otherwise. */
export function differenceUnit(compare: CompareView): { title: string; hover: string } {
  if (compare.a.view.summary.settings.method === 'occupancy') return { title: 'change in % of time (points)', hover: '%{z:+.1f} points' }
  return { title: `change, ${compare.a.view.summary.unit}`, hover: '%{z:+.3~g}' }
}

export function differenceTrace(compare: CompareView, diff: { rows: HeatmapRows['rows']; limit: number }, opacity: number, aName: string, bName: string): Partial<HeatmapData> {
  const { cell } = compare.difference
  const offset = (cell - 1) / 2
  const unit = differenceUnit(compare)
  return {
    type: 'heatmap',
    z: diff.rows,
    x0: offset,
    dx: cell,
    y0: offset,
    dy: cell,
    zmin: -diff.limit,
    zmax: diff.limit,
    zmid: 0,
    colorscale: DIVERGING_COLORSCALE,
    opacity,
    hoverongaps: false,
    colorbar: {
      title: { text: unit.title, side: 'right' },
      thickness: 14
    },
    hovertemplate: `Place: x %{x:.0f}, y %{y:.0f} px<br>${escapeTemplate(bName)} against ${escapeTemplate(aName)}: ${unit.hover}<extra></extra>`
  }
}
