// Screen pixels against plot coordinates for a Plotly heatmap whose y axis points down (its range
// is [bottom, top] = [H - 0.5, -0.5]), and the view box of an SVG laid exactly over the plot area.
import type { PlotPoint } from './zone-geometry'

export interface ScreenBox {
  left: number
  top: number
  width: number
  height: number
}

/** The visible axis ranges, as Plotly holds them: x [left, right], y [bottom, top]. */
export interface AxisRanges {
  x: [number, number]
  y: [number, number]
}

/** The whole picture of a grid, as the heatmap layout starts out. */
export function pictureRanges(grid: { width: number; height: number }): AxisRanges {
  return { x: [-0.5, grid.width - 0.5], y: [grid.height - 0.5, -0.5] }
}

export function screenToPlot(box: ScreenBox, ranges: AxisRanges, clientX: number, clientY: number): PlotPoint {
  const fx = box.width > 0 ? (clientX - box.left) / box.width : 0
  const fy = box.height > 0 ? (clientY - box.top) / box.height : 0
  // Screen top is the range's second end (y[1]), the bottom its first (y[0]).
  return [ranges.x[0] + fx * (ranges.x[1] - ranges.x[0]), ranges.y[1] + fy * (ranges.y[0] - ranges.y[1])]
}

export function plotToScreen(box: ScreenBox, ranges: AxisRanges, [x, y]: PlotPoint): [number, number] {
  return [
    box.left + ((x - ranges.x[0]) / (ranges.x[1] - ranges.x[0])) * box.width,
    box.top + ((y - ranges.y[1]) / (ranges.y[0] - ranges.y[1])) * box.height
  ]
}

/** How many plot units `pixels` screen pixels span (the smaller of the two axes' scales). */
export function plotUnitsPerPixels(box: ScreenBox, ranges: AxisRanges, pixels: number): number {
  const sx = box.width > 0 ? Math.abs(ranges.x[1] - ranges.x[0]) / box.width : 1
  const sy = box.height > 0 ? Math.abs(ranges.y[0] - ranges.y[1]) / box.height : 1
  return pixels * Math.min(sx, sy)
}

/** An SVG viewBox in plot coordinates for an SVG covering the plot area (y down, as in SVG). */
export function overlayViewBox(ranges: AxisRanges): string {
  const left = Math.min(ranges.x[0], ranges.x[1])
  const top = Math.min(ranges.y[0], ranges.y[1])
  return `${left} ${top} ${Math.abs(ranges.x[1] - ranges.x[0])} ${Math.abs(ranges.y[0] - ranges.y[1])}`
}

/**
 * The ranges a drawn Plotly graph shows now, after zoom, pan and its aspect-ratio constraint (read
 * from its full layout, which Plotly keeps on the graph div), or null if it has none yet.
 */
export function shownRanges(graph: unknown): AxisRanges | null {
  const full = (graph as { _fullLayout?: { xaxis?: { range?: unknown }; yaxis?: { range?: unknown } } } | null)?._fullLayout
  const x = full?.xaxis?.range
  const y = full?.yaxis?.range
  return isRange(x) && isRange(y) ? { x: [x[0], x[1]], y: [y[0], y[1]] } : null
}

function isRange(r: unknown): r is [number, number] {
  return Array.isArray(r) && r.length === 2 && r.every((v) => typeof v === 'number' && Number.isFinite(v))
}
