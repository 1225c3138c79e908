// Turns a ResultView into a Plotly figure: the heatmap laid over the reference frame, in
// analysis-grid pixel coordinates (pixel x,y centred on x,y), y pointing down like the picture.
import type { Config, HeatmapData, Layout } from 'plotly.js-dist'
import { decodeGridValues, type DisplayGrid, type ResultView } from '../../../shared/api'

/** Low values fade out so the shop stays visible; busy places go yellow, then red. */
const COLORSCALE: Array<[number, string]> = [
  [0, 'rgba(49, 54, 149, 0)'],
  [0.08, 'rgba(49, 54, 149, 0.35)'],
  [0.3, 'rgba(69, 117, 180, 0.75)'],
  [0.5, 'rgba(116, 196, 118, 0.85)'],
  [0.7, 'rgba(254, 224, 84, 0.95)'],
  [0.85, 'rgba(244, 109, 67, 1)'],
  [1, 'rgba(165, 0, 38, 1)']
]

export interface HeatmapRows {
  rows: Array<Array<number | null>>
  max: number
}

/** How values are shown: occupancy as a percentage of time, the seed's sums as they are. */
export function valueDisplay(view: ResultView): { scale: number; title: string; hover: string } {
  if (view.summary.settings.method === 'occupancy') {
    return { scale: 100, title: '% of time occupied', hover: '%{z:.1f} % of time occupied' }
  }
  return { scale: 1, title: view.summary.unit, hover: '%{z:.3~g}' }
}

/** Display-grid values as rows for Plotly; gaps (NaN) become null so they stay unpainted. */
export function gridRows(view: ResultView): HeatmapRows {
  return displayGridRows(view.grid, valueDisplay(view).scale)
}

/** Any display grid (a day's map, or a difference of two) as rows, each value times `scale`. */
export function displayGridRows(grid: DisplayGrid, scale: number): HeatmapRows {
  const values = decodeGridValues(grid)
  const { width, height } = grid
  const rows: Array<Array<number | null>> = []
  let max = 0
  for (let y = 0; y < height; y++) {
    const row: Array<number | null> = new Array<number | null>(width)
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x] * scale
      row[x] = Number.isFinite(v) ? v : null
      if (Number.isFinite(v) && v > max) max = v
    }
    rows.push(row)
  }
  return { rows, max }
}

export function heatmapTrace(view: ResultView, heat: HeatmapRows, opacity: number): HeatmapData {
  const { cell } = view.grid
  // A display cell covers `cell` analysis pixels; place it on the centre of those pixels.
  const offset = (cell - 1) / 2
  return {
    type: 'heatmap',
    z: heat.rows,
    x0: offset,
    dx: cell,
    y0: offset,
    dy: cell,
    zmin: 0,
    zmax: heat.max > 0 ? heat.max : 1,
    colorscale: COLORSCALE,
    opacity,
    hoverongaps: false,
    colorbar: { title: { text: valueDisplay(view).title, side: 'right' }, thickness: 14 },
    hovertemplate: `Place: x %{x:.0f}, y %{y:.0f} px<br>Value: ${valueDisplay(view).hover}<extra></extra>`
  }
}

export function heatmapLayout(view: ResultView): Partial<Layout> {
  const { width, height } = view.summary.grid
  return {
    // Keeps the user's zoom while the opacity changes; a new result starts from the full view.
    uirevision: view.id,
    // Room at the top for Plotly's tool bar, so it does not cover the colour bar.
    margin: { l: 48, r: 8, t: 36, b: 40 },
    paper_bgcolor: 'rgba(0,0,0,0)',
    plot_bgcolor: '#222',
    dragmode: 'zoom',
    hovermode: 'closest',
    xaxis: {
      range: [-0.5, width - 0.5],
      constrain: 'domain',
      showgrid: false,
      zeroline: false,
      ticks: 'outside',
      title: { text: 'x (pixels)' }
    },
    yaxis: {
      // Reversed: row 0 is the top of the camera picture.
      range: [height - 0.5, -0.5],
      scaleanchor: 'x',
      scaleratio: 1,
      constrain: 'domain',
      showgrid: false,
      zeroline: false,
      ticks: 'outside',
      title: { text: 'y (pixels)' }
    },
    images: [
      {
        source: view.referenceDataUrl,
        xref: 'x',
        yref: 'y',
        x: -0.5,
        y: -0.5,
        sizex: width,
        sizey: height,
        xanchor: 'left',
        yanchor: 'top',
        sizing: 'stretch',
        layer: 'below'
      }
    ]
  }
}

export const PLOT_CONFIG: Partial<Config> = {
  responsive: true,
  // The logo links to plotly.com: nothing in the app leads off this machine.
  displaylogo: false,
  // Plotly 4 shows a "Share chart" button by default that uploads the figure, camera picture
  // included, to Plotly's cloud. Footage never leaves the machine: off, and no server to send to.
  showSendToCloud: false,
  plotlyServerURL: '',
  scrollZoom: true,
  modeBarButtonsToRemove: ['select2d', 'lasso2d', 'autoScale2d', 'sendChartToCloud'],
  toImageButtonOptions: { filename: 'dwellmap-heatmap', format: 'png' }
}
