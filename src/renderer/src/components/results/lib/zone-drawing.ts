// Drawing a zone on the picture, as a pure state machine the component feeds pointer and key
// events into. Drag to draw a rectangle; or click corner after corner and close the shape with a
// double-click, Enter, or a click on the first corner. Escape cancels, Backspace takes back a corner.
// Without a pointer: arrow keys move a cursor and Space places a corner there.
import { movedCursor, type CursorBounds } from '../../../lib/keyboard-cursor'
import { MAX_ZONE_POINTS, polygonArea, rectToPolygon, withoutRepeats, type PlotPoint } from './zone-geometry'

export type ShapeKind = 'rectangle' | 'polygon'

export type DrawState =
  /** Waiting for the first press. */
  | { kind: 'idle' }
  /** Button held down: a drag becomes a rectangle, a release on the spot a corner. */
  | { kind: 'pressed'; start: PlotPoint; current: PlotPoint; dragging: boolean; corners: PlotPoint[] }
  /** Some corners placed; `pointer` is where the next would go (for the rubber band line). */
  | { kind: 'polygon'; corners: PlotPoint[]; pointer: PlotPoint | null }
  /** A closed shape waiting for its name. */
  | { kind: 'closed'; shape: ShapeKind; points: PlotPoint[] }

export type DrawEvent =
  /** `slop`: how far, in plot units, the pointer may wander (about 4 screen pixels) and still be a click. */
  | { type: 'down'; point: PlotPoint; slop: number }
  | { type: 'move'; point: PlotPoint; slop: number }
  | { type: 'up'; point: PlotPoint; slop: number }
  | { type: 'close'; slop: number }
  | { type: 'undo' }
  | { type: 'cancel' }

export const IDLE: DrawState = { kind: 'idle' }

export function drawStep(state: DrawState, event: DrawEvent): DrawState {
  if (event.type === 'cancel') return IDLE
  switch (state.kind) {
    case 'closed':
      // A closed shape waits for its name (or cancel); pointer events do nothing.
      return state
    case 'idle':
      if (event.type === 'down') return { kind: 'pressed', start: event.point, current: event.point, dragging: false, corners: [] }
      return state
    case 'polygon':
      switch (event.type) {
        case 'down':
          return { kind: 'pressed', start: event.point, current: event.point, dragging: false, corners: state.corners }
        case 'move':
          return { ...state, pointer: event.point }
        case 'undo':
          return state.corners.length <= 1 ? IDLE : { ...state, corners: state.corners.slice(0, -1) }
        case 'close':
          return closePolygon(state.corners, event.slop) ?? state
        default:
          return state
      }
    case 'pressed':
      switch (event.type) {
        case 'move': {
          // Only a first press can become a rectangle; with corners placed, a shaky click stays a click.
          const far = distance(event.point, state.start) > event.slop
          return { ...state, current: event.point, dragging: state.dragging || (far && state.corners.length === 0) }
        }
        case 'up': {
          if (state.dragging) {
            const points = rectToPolygon(state.start, event.point)
            const [[left, top], , [right, bottom]] = points
            // Too thin to be meant: forget it.
            if (right - left <= event.slop || bottom - top <= event.slop) return IDLE
            return { kind: 'closed', shape: 'rectangle', points }
          }
          return addCorner(state.corners, state.start, event.slop)
        }
        case 'close':
          return closePolygon(state.corners, event.slop) ?? { kind: 'polygon', corners: state.corners, pointer: null }
        case 'undo':
          return state.corners.length === 0 ? IDLE : drawStep({ kind: 'polygon', corners: state.corners, pointer: null }, event)
        default:
          return state
      }
  }
}

function addCorner(corners: PlotPoint[], point: PlotPoint, slop: number): DrawState {
  // A click on the first corner closes the shape.
  if (corners.length >= 3 && distance(point, corners[0]) <= slop) return closePolygon(corners, slop) ?? { kind: 'polygon', corners, pointer: point }
  const last = corners[corners.length - 1]
  // The second click of a double-click lands on the corner just placed: not a new corner.
  const next = last && distance(point, last) <= slop ? corners : [...corners, point]
  if (next.length >= MAX_ZONE_POINTS) return closePolygon(next, slop) ?? { kind: 'polygon', corners: next, pointer: point }
  return { kind: 'polygon', corners: next, pointer: point }
}

/** The closed shape, or null while the corners do not enclose anything yet. */
function closePolygon(corners: PlotPoint[], slop: number): DrawState | null {
  const points = withoutRepeats(corners, slop)
  if (points.length < 3 || polygonArea(points) <= slop * slop) return null
  return { kind: 'closed', shape: 'polygon', points }
}

function distance(a: PlotPoint, b: PlotPoint): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

/** What to draw as the shape in progress: its outline, and whether it is closed. */
export function drawPreview(state: DrawState): { points: PlotPoint[]; closed: boolean } {
  switch (state.kind) {
    case 'idle':
      return { points: [], closed: false }
    case 'pressed':
      if (state.dragging) return { points: rectToPolygon(state.start, state.current), closed: true }
      return { points: [...state.corners, state.start], closed: false }
    case 'polygon':
      return { points: state.pointer ? [...state.corners, state.pointer] : state.corners, closed: false }
    case 'closed':
      return { points: state.points, closed: true }
  }
}

/** The corners placed so far (for markers and the "N corners" hint). */
export function placedCorners(state: DrawState): PlotPoint[] {
  switch (state.kind) {
    case 'pressed':
    case 'polygon':
      return state.corners
    case 'closed':
      return state.points
    default:
      return []
  }
}

/** One line of help for the owner, fitting what they are doing. */
export function drawHint(state: DrawState): string {
  switch (state.kind) {
    case 'idle':
      return 'Drag across the picture to draw a rectangle, or click corner after corner for any other shape (or use the arrow keys and Space).'
    case 'pressed':
      return state.dragging ? 'Let go to finish the rectangle.' : 'Click the next corner.'
    case 'polygon': {
      const n = state.corners.length
      if (n < 3) return `${n} corner${n === 1 ? '' : 's'} so far: click ${3 - n} more at least.`
      return `${n} corners: double-click, press Enter or click the first corner to close the shape. Backspace takes back a corner.`
    }
    case 'closed':
      return 'Name the area and save it.'
  }
}

/** Can the shape in progress be closed now (Enter / the Finish button)? */
export function canClose(state: DrawState, slop: number): boolean {
  if (state.kind !== 'polygon' && state.kind !== 'pressed') return false
  return closePolygon(state.corners, slop) !== null
}

/**
 * A key pressed on the drawing surface: the cursor after it and what it means for the drawing.
 * Arrows move the cursor (the rubber band follows), Space places a corner at it, Enter closes
 * the shape, Escape cancels, Backspace or Delete takes back a corner. Null for other keys.
 */
export function zoneKey(
  key: string, shift: boolean, cursor: PlotPoint, bounds: CursorBounds, step: number, slop: number
): { cursor: PlotPoint; events: DrawEvent[] } | null {
  const moved = movedCursor(cursor, key, shift, step, bounds)
  if (moved) return { cursor: moved, events: [{ type: 'move', point: moved, slop }] }
  switch (key) {
    case ' ':
      return { cursor, events: [{ type: 'down', point: cursor, slop }, { type: 'up', point: cursor, slop }] }
    case 'Enter':
      return { cursor, events: [{ type: 'close', slop }] }
    case 'Escape':
      return { cursor, events: [{ type: 'cancel' }] }
    case 'Backspace':
    case 'Delete':
      return { cursor, events: [{ type: 'undo' }] }
    default:
      return null
  }
}
