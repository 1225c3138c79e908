// Drawing without a pointer: the arrow keys move a cursor, Space places an area's corner or puts
// the mask brush down, Enter closes, Escape cancels.
import { describe, expect, it } from 'vitest'
import { BIG_STEP, centreOf, maskKey, movedCursor, type CursorPoint } from '../../src/renderer/src/lib/keyboard-cursor'
import { drawStep, IDLE, zoneKey, type DrawState } from '../../src/renderer/src/components/results/lib/zone-drawing'

const BOUNDS = { minX: -0.5, minY: -0.5, maxX: 99.5, maxY: 49.5 }

describe('the keyboard cursor', () => {
  it('moves a step per arrow key, five with Shift, and ignores other keys', () => {
    expect(movedCursor([10, 10], 'ArrowRight', false, 2, BOUNDS)).toEqual([12, 10])
    expect(movedCursor([10, 10], 'ArrowLeft', false, 2, BOUNDS)).toEqual([8, 10])
    expect(movedCursor([10, 10], 'ArrowUp', false, 2, BOUNDS)).toEqual([10, 8])
    expect(movedCursor([10, 10], 'ArrowDown', true, 2, BOUNDS)).toEqual([10, 10 + 2 * BIG_STEP])
    expect(movedCursor([10, 10], 'a', false, 2, BOUNDS)).toBeNull()
    expect(movedCursor([10, 10], 'Enter', false, 2, BOUNDS)).toBeNull()
  })

  it('stays inside the picture', () => {
    expect(movedCursor([99, 49], 'ArrowRight', true, 10, BOUNDS)).toEqual([99.5, 49])
    expect(movedCursor([0, 0], 'ArrowUp', true, 10, BOUNDS)).toEqual([0, -0.5])
    expect(centreOf(BOUNDS)).toEqual([49.5, 24.5])
  })
})

/** Presses keys on the zone drawing surface, as the overlay does. */
function pressZone(keys: Array<string | [string, 'shift']>, from: CursorPoint): { state: DrawState; cursor: CursorPoint } {
  let state: DrawState = IDLE
  let cursor = from
  for (const k of keys) {
    const [key, shift] = typeof k === 'string' ? [k, false] : [k[0], true]
    const result = zoneKey(key, shift, cursor, BOUNDS, 4, 1)
    if (!result) continue
    cursor = result.cursor
    state = result.events.reduce(drawStep, state)
  }
  return { state, cursor }
}

describe('drawing an area with the keyboard', () => {
  it('places corners with Space and closes the shape with Enter', () => {
    const { state } = pressZone([' ', 'ArrowRight', 'ArrowRight', ' ', 'ArrowDown', 'ArrowDown', ' ', 'ArrowLeft', 'ArrowLeft', ' ', 'Enter'], [20, 20])
    expect(state).toEqual({ kind: 'closed', shape: 'polygon', points: [[20, 20], [28, 20], [28, 28], [20, 28]] })
  })

  it('shows the next side following the cursor while corners are placed', () => {
    const { state } = pressZone([' ', ['ArrowRight', 'shift']], [20, 20])
    expect(state).toEqual({ kind: 'polygon', corners: [[20, 20]], pointer: [40, 20] })
  })

  it('does not close fewer than three corners, takes one back with Backspace, and cancels with Escape', () => {
    const two = pressZone([' ', 'ArrowRight', ' ', 'Enter'], [20, 20])
    expect(two.state.kind).toBe('polygon')
    const undone = pressZone([' ', 'ArrowRight', ' ', 'Backspace'], [20, 20])
    expect(undone.state).toMatchObject({ kind: 'polygon', corners: [[20, 20]] })
    expect(pressZone([' ', 'ArrowRight', ' ', 'Escape'], [20, 20]).state).toEqual(IDLE)
  })

  it('leaves other keys to the page (Tab moves on)', () => {
    expect(zoneKey('Tab', false, [1, 1], BOUNDS, 4, 1)).toBeNull()
    expect(zoneKey('x', false, [1, 1], BOUNDS, 4, 1)).toBeNull()
  })
})

describe('painting the mask with the keyboard', () => {
  const PICTURE = { minX: 0, minY: 0, maxX: 639, maxY: 359 }

  it('paints only while the brush is down: a dot when it goes down, lines as it moves', () => {
    expect(maskKey('ArrowRight', false, [100, 100], false, PICTURE, 10)).toEqual({ cursor: [110, 100], painting: false, stroke: null })
    expect(maskKey(' ', false, [100, 100], false, PICTURE, 10)).toEqual({ cursor: [100, 100], painting: true, stroke: [[100, 100], [100, 100]] })
    expect(maskKey('ArrowRight', true, [100, 100], true, PICTURE, 10)).toEqual({ cursor: [150, 100], painting: true, stroke: [[100, 100], [150, 100]] })
    expect(maskKey('Enter', false, [150, 100], true, PICTURE, 10)).toEqual({ cursor: [150, 100], painting: false, stroke: null })
  })

  it('lifts the brush with Escape, and leaves Escape to the page when it is up', () => {
    expect(maskKey('Escape', false, [5, 5], true, PICTURE, 10)).toEqual({ cursor: [5, 5], painting: false, stroke: null })
    expect(maskKey('Escape', false, [5, 5], false, PICTURE, 10)).toBeNull()
    expect(maskKey('Tab', false, [5, 5], true, PICTURE, 10)).toBeNull()
  })

  it('keeps the brush on the picture', () => {
    expect(maskKey('ArrowLeft', true, [3, 3], true, PICTURE, 10)?.cursor).toEqual([0, 3])
  })
})
