// Linked zoom: reading Plotly's relayout events, and screen pixels against plot coordinates.
import { describe, expect, it } from 'vitest'
import { nextLinkedView, rangesFromRelayout, sameRange, withView } from '../../src/renderer/src/components/results/lib/linked-ranges'
import { overlayViewBox, pictureRanges, plotToScreen, plotUnitsPerPixels, screenToPlot, shownRanges } from '../../src/renderer/src/components/results/lib/plot-coordinates'

const FULL = pictureRanges({ width: 480, height: 270 })

describe('relayout events', () => {
  it('reads ranges in each form Plotly reports them', () => {
    expect(rangesFromRelayout({ 'xaxis.range[0]': 10, 'xaxis.range[1]': 90, 'yaxis.range[0]': 80, 'yaxis.range[1]': 5 }, FULL)).toEqual({ x: [10, 90], y: [80, 5] })
    expect(rangesFromRelayout({ 'xaxis.range': [1, 2] }, FULL)).toEqual({ x: [1, 2] })
    expect(rangesFromRelayout({ yaxis: { range: [30, 4] } }, FULL)).toEqual({ y: [30, 4] })
  })

  it('reads autorange (a reset) as the whole picture', () => {
    expect(rangesFromRelayout({ 'xaxis.autorange': true, 'yaxis.autorange': true }, FULL)).toEqual(FULL)
  })

  it('ignores events that are not about the view', () => {
    expect(rangesFromRelayout({ dragmode: 'pan' }, FULL)).toBeNull()
    expect(rangesFromRelayout({ 'xaxis.range[0]': 'a', 'xaxis.range[1]': 3 }, FULL)).toBeNull()
  })
})

describe('linked view', () => {
  it('moves every map to the zoomed view, keeping an axis the event did not touch', () => {
    const zoomed = nextLinkedView(FULL, { 'xaxis.range[0]': 100, 'xaxis.range[1]': 200 }, FULL)
    expect(zoomed).toEqual({ x: [100, 200], y: FULL.y })
  })

  it('reports nothing for the echo of the view already shown', () => {
    const view = { x: [100, 200] as [number, number], y: [150, 50] as [number, number] }
    expect(nextLinkedView(view, { 'xaxis.range[0]': 100, 'xaxis.range[1]': 200.0000001, 'yaxis.range': [150, 50] }, FULL)).toBeNull()
    expect(nextLinkedView(view, { dragmode: 'zoom' }, FULL)).toBeNull()
  })

  it('returns to the whole picture on a double-click reset', () => {
    const view = { x: [100, 200] as [number, number], y: [150, 50] as [number, number] }
    expect(nextLinkedView(view, { 'xaxis.autorange': true, 'yaxis.autorange': true }, FULL)).toEqual(FULL)
  })

  it('puts the view into a layout without touching the rest of the axis', () => {
    const layout = { xaxis: { range: [0, 1], showgrid: false }, yaxis: { range: [1, 0], scaleanchor: 'x' }, title: 'A' }
    const out = withView(layout, { x: [3, 4], y: [9, 8] })
    expect(out).toEqual({ xaxis: { range: [3, 4], showgrid: false }, yaxis: { range: [9, 8], scaleanchor: 'x' }, title: 'A' })
    expect(layout.xaxis.range).toEqual([0, 1])
  })

  it('compares ranges with a tolerance', () => {
    expect(sameRange([1, 2], [1, 2 + 1e-9])).toBe(true)
    expect(sameRange([1, 2], [1, 2.1])).toBe(false)
    expect(sameRange(undefined, undefined)).toBe(true)
    expect(sameRange([1, 2], undefined)).toBe(false)
  })
})

describe('screen and plot coordinates (y down)', () => {
  const box = { left: 100, top: 50, width: 480, height: 270 }

  it('maps the plot area corners to the picture corners', () => {
    expect(screenToPlot(box, FULL, 100, 50)).toEqual([-0.5, -0.5])
    expect(screenToPlot(box, FULL, 580, 320)).toEqual([479.5, 269.5])
    expect(screenToPlot(box, FULL, 340, 185)).toEqual([239.5, 134.5])
  })

  it('follows zoom, and inverts', () => {
    const zoomed = { x: [99.5, 199.5] as [number, number], y: [149.5, 49.5] as [number, number] }
    const p = screenToPlot(box, zoomed, 100 + 240, 50 + 135)
    expect(p).toEqual([149.5, 99.5])
    expect(plotToScreen(box, zoomed, p)).toEqual([340, 185])
  })

  it('converts a few screen pixels into plot units', () => {
    expect(plotUnitsPerPixels(box, FULL, 5)).toBeCloseTo(5)
    expect(plotUnitsPerPixels({ ...box, width: 960, height: 540 }, FULL, 4)).toBeCloseTo(2)
  })

  it('gives the overlay a view box in plot coordinates', () => {
    expect(overlayViewBox(FULL)).toBe('-0.5 -0.5 480 270')
    expect(overlayViewBox({ x: [10, 20], y: [40, 30] })).toBe('10 30 10 10')
  })
})

describe('ranges a drawn graph shows', () => {
  it('reads them from the graph’s full layout', () => {
    expect(shownRanges({ _fullLayout: { xaxis: { range: [1, 2] }, yaxis: { range: [4, 3] } } })).toEqual({ x: [1, 2], y: [4, 3] })
    expect(shownRanges({ _fullLayout: { xaxis: { range: [1, 2] } } })).toBeNull()
    expect(shownRanges({})).toBeNull()
    expect(shownRanges(null)).toBeNull()
  })
})
