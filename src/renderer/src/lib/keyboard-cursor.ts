// A cursor moved with the arrow keys, so that drawing on a picture (areas, the mask) does not
// need a pointer. Pure: the components keep the cursor and draw it.

export type CursorPoint = [number, number]

/** The rectangle the cursor stays in, in the drawing's own units. */
export interface CursorBounds {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/** Shift+arrow moves this many steps (as Shift does on the timeline: a bigger jump). */
export const BIG_STEP = 5

const DIRECTIONS: Record<string, CursorPoint> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1]
}

/** The cursor after an arrow key, kept inside the bounds; null for any other key. */
export function movedCursor(cursor: CursorPoint, key: string, shift: boolean, step: number, bounds: CursorBounds): CursorPoint | null {
  const direction = DIRECTIONS[key] as CursorPoint | undefined
  if (!direction) return null
  const distance = step * (shift ? BIG_STEP : 1)
  return [
    Math.min(Math.max(cursor[0] + direction[0] * distance, bounds.minX), bounds.maxX),
    Math.min(Math.max(cursor[1] + direction[1] * distance, bounds.minY), bounds.maxY)
  ]
}

/** The middle of the bounds: where the cursor starts. */
export function centreOf(bounds: CursorBounds): CursorPoint {
  return [(bounds.minX + bounds.maxX) / 2, (bounds.minY + bounds.maxY) / 2]
}

/** Painting the mask from the keyboard: arrows move the brush, Space or Enter lifts or lowers it, Escape lifts it. */
export interface MaskKeyResult {
  cursor: CursorPoint
  painting: boolean
  /** The line to paint (from, to): a dot when both are the same point. */
  stroke: [CursorPoint, CursorPoint] | null
}

export function maskKey(key: string, shift: boolean, cursor: CursorPoint, painting: boolean, bounds: CursorBounds, step: number): MaskKeyResult | null {
  const moved = movedCursor(cursor, key, shift, step, bounds)
  if (moved) return { cursor: moved, painting, stroke: painting ? [cursor, moved] : null }
  if (key === ' ' || key === 'Enter') return { cursor, painting: !painting, stroke: painting ? null : [cursor, cursor] }
  if (key === 'Escape' && painting) return { cursor, painting: false, stroke: null }
  return null
}
