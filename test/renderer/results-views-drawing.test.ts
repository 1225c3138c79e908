// Drawing an area: a drag makes a rectangle, clicks make corners, a double-click / Enter closes.
import { describe, expect, it } from 'vitest'
import { canClose, drawHint, drawPreview, drawStep, IDLE, placedCorners, type DrawEvent, type DrawState } from '../../src/renderer/src/components/results/lib/zone-drawing'
import { MAX_ZONE_POINTS, type PlotPoint } from '../../src/renderer/src/components/results/lib/zone-geometry'

const SLOP = 1

function run(events: DrawEvent[], from: DrawState = IDLE): DrawState {
  return events.reduce(drawStep, from)
}

const down = (point: PlotPoint): DrawEvent => ({ type: 'down', point, slop: SLOP })
const move = (point: PlotPoint): DrawEvent => ({ type: 'move', point, slop: SLOP })
const up = (point: PlotPoint): DrawEvent => ({ type: 'up', point, slop: SLOP })
const click = (point: PlotPoint): DrawEvent[] => [down(point), up(point)]
const close: DrawEvent = { type: 'close', slop: SLOP }

describe('drawing a rectangle', () => {
  it('turns a drag into a closed rectangle', () => {
    const state = run([down([10, 10]), move([30, 20]), move([60, 40]), up([60, 40])])
    expect(state).toEqual({
      kind: 'closed',
      shape: 'rectangle',
      points: [
        [10, 10],
        [60, 10],
        [60, 40],
        [10, 40]
      ]
    })
  })

  it('previews the rectangle while dragging', () => {
    const state = run([down([10, 10]), move([20, 30])])
    expect(state.kind).toBe('pressed')
    expect(drawPreview(state)).toEqual({
      points: [
        [10, 10],
        [20, 10],
        [20, 30],
        [10, 30]
      ],
      closed: true
    })
    expect(drawHint(state)).toMatch(/Let go/)
  })

  it('forgets a rectangle too thin to be meant', () => {
    expect(run([down([10, 10]), move([40, 10.5]), up([40, 10.5])])).toEqual(IDLE)
  })

  it('treats a jiggle within the slop as a click', () => {
    const state = run([down([10, 10]), move([10.4, 10.3]), up([10.4, 10.3])])
    expect(state).toEqual({ kind: 'polygon', corners: [[10, 10]], pointer: [10, 10] })
  })
})

describe('drawing a polygon', () => {
  const triangle = [...click([0, 0]), ...click([20, 0]), ...click([0, 20])]

  it('places a corner per click and closes with close (double-click or Enter)', () => {
    const open = run(triangle)
    expect(placedCorners(open)).toHaveLength(3)
    expect(canClose(open, SLOP)).toBe(true)
    expect(run([close], open)).toEqual({
      kind: 'closed',
      shape: 'polygon',
      points: [
        [0, 0],
        [20, 0],
        [0, 20]
      ]
    })
  })

  it('does not add a corner for the second click of a double-click', () => {
    // A double-click on a new corner: click, click, dblclick.
    const state = run([...triangle, ...click([-10, 10]), ...click([-10, 10]), close])
    expect(state.kind).toBe('closed')
    expect(state.kind === 'closed' && state.points).toEqual([
      [0, 0],
      [20, 0],
      [0, 20],
      [-10, 10]
    ])
  })

  it('closes when the first corner is clicked again', () => {
    const state = run([...triangle, ...click([0.3, 0.2])])
    expect(state.kind).toBe('closed')
    expect(state.kind === 'closed' && state.points).toHaveLength(3)
  })

  it('will not close with fewer than three corners or no area', () => {
    const two = run([...click([0, 0]), ...click([10, 0])])
    expect(canClose(two, SLOP)).toBe(false)
    expect(run([close], two)).toEqual(two)
    const line = run([...click([0, 0]), ...click([10, 0]), ...click([20, 0])])
    expect(run([close], line).kind).toBe('polygon')
  })

  it('does not turn a drag into a rectangle once corners are placed', () => {
    const state = run([...click([0, 0]), down([10, 0]), move([30, 30]), up([30, 30])])
    expect(state).toEqual({
      kind: 'polygon',
      corners: [
        [0, 0],
        [10, 0]
      ],
      pointer: [10, 0]
    })
  })

  it('follows the pointer with a rubber band to the next corner', () => {
    const state = run([...click([0, 0]), ...click([10, 0]), move([5, 9])])
    expect(drawPreview(state)).toEqual({
      points: [
        [0, 0],
        [10, 0],
        [5, 9]
      ],
      closed: false
    })
  })

  it('takes back corners one by one, then stops', () => {
    const two = run([...click([0, 0]), ...click([10, 0])])
    const one = run([{ type: 'undo' }], two)
    expect(placedCorners(one)).toEqual([[0, 0]])
    expect(run([{ type: 'undo' }], one)).toEqual(IDLE)
  })

  it('cancels from anywhere', () => {
    expect(run([...triangle, { type: 'cancel' }])).toEqual(IDLE)
    expect(run([...triangle, close, { type: 'cancel' }])).toEqual(IDLE)
  })

  it('closes by itself at the most corners a zone may have', () => {
    const events: DrawEvent[] = []
    for (let i = 0; i < MAX_ZONE_POINTS; i++) {
      const angle = (2 * Math.PI * i) / MAX_ZONE_POINTS
      events.push(...click([100 + 80 * Math.cos(angle), 100 + 80 * Math.sin(angle)]))
    }
    const state = run(events)
    expect(state.kind).toBe('closed')
    expect(state.kind === 'closed' && state.points.length).toBe(MAX_ZONE_POINTS)
  })

  it('ignores the pointer once closed, until named or cancelled', () => {
    const closed = run([...triangle, close])
    expect(run([...click([50, 50]), move([3, 3])], closed)).toBe(closed)
    expect(drawHint(closed)).toMatch(/Name/)
  })

  it('tells the owner what to do next', () => {
    expect(drawHint(IDLE)).toMatch(/Drag/)
    expect(drawHint(run(click([0, 0])))).toMatch(/1 corner so far/)
    expect(drawHint(run(triangle))).toMatch(/double-click/)
  })
})
