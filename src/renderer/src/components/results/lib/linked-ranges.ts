// Linked zoom and pan: when the owner zooms one map, the others show the same part of the shop.
// Plotly reports a zoom as a plotly_relayout event; these read the new ranges out of it and make
// the view every linked plot then shows; an echo of the view already shown changes nothing.
import type { AxisRanges } from './plot-coordinates'

/** The axis ranges a relayout event sets, with autorange (Plotly's reset) meaning `full`. */
export function rangesFromRelayout(event: Readonly<Record<string, unknown>>, full: AxisRanges): Partial<AxisRanges> | null {
  const out: Partial<AxisRanges> = {}
  for (const axis of ['x', 'y'] as const) {
    const range = axisRange(event, `${axis}axis`)
    if (range) out[axis] = range
    else if (event[`${axis}axis.autorange`] === true) out[axis] = [...full[axis]]
  }
  return out.x || out.y ? out : null
}

function axisRange(event: Readonly<Record<string, unknown>>, name: string): [number, number] | null {
  const whole = event[`${name}.range`]
  if (Array.isArray(whole) && whole.length === 2 && whole.every(isNumber)) return [whole[0], whole[1]]
  const lo = event[`${name}.range[0]`]
  const hi = event[`${name}.range[1]`]
  if (isNumber(lo) && isNumber(hi)) return [lo, hi]
  // A nested form, as Plotly.relayout({xaxis: {range}}) reports it.
  const nested = event[name]
  if (nested && typeof nested === 'object' && 'range' in nested) {
    const r = (nested as { range: unknown }).range
    if (Array.isArray(r) && r.length === 2 && r.every(isNumber)) return [r[0], r[1]]
  }
  return null
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

export function sameRange(a: readonly [number, number] | undefined, b: readonly [number, number] | undefined, tolerance = 1e-6): boolean {
  if (!a || !b) return a === b
  return Math.abs(a[0] - b[0]) <= tolerance && Math.abs(a[1] - b[1]) <= tolerance
}

/**
 * The view all linked plots should show after one of them reported `event`, or null when the
 * event changes nothing (not a zoom, or the echo of the view they already show).
 */
export function nextLinkedView(current: AxisRanges, event: Readonly<Record<string, unknown>>, full: AxisRanges): AxisRanges | null {
  const ranges = rangesFromRelayout(event, full)
  if (!ranges) return null
  const next: AxisRanges = { x: ranges.x ?? current.x, y: ranges.y ?? current.y }
  return sameRange(next.x, current.x) && sameRange(next.y, current.y) ? null : next
}

/** A heatmap layout showing `view` (the linked zoom) instead of its own starting ranges. */
export function withView<L extends { xaxis?: object; yaxis?: object }>(layout: L, view: AxisRanges): L {
  return {
    ...layout,
    xaxis: { ...layout.xaxis, range: [view.x[0], view.x[1]] },
    yaxis: { ...layout.yaxis, range: [view.y[0], view.y[1]] }
  }
}
