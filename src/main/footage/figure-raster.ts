// Turns a figure into horizontal pixel runs. Drawing and the ground truth both go through here,
// so the truth counts exactly the pixels that were painted.
import type { Figure } from './figures'
import type { Rgb } from './scene'

/** A run covers pixels x0 (inclusive) to x1 (exclusive) of row y. */
export type RunSink = (y: number, x0: number, x1: number, color: Rgb) => void

export interface Box {
  x0: number
  y0: number
  /** Exclusive. */
  x1: number
  /** Exclusive. */
  y1: number
}

// Body proportions as shares of the figure's height, measured upwards from the feet.
const LEGS_TOP = 0.46
const LEG_HALF_WIDTH_HIP = 0.12
const LEG_HALF_WIDTH_FEET = 0.09
const LEG_SPREAD = 0.08
const TORSO_CENTRE = 0.63
const TORSO_HALF_HEIGHT = 0.2
const TORSO_HALF_WIDTH = 0.16
const HEAD_CENTRE = 0.895
const HEAD_RADIUS = 0.095
const HAIRLINE = 0.9

/** Emits the figure's runs clipped to the frame, in painting order: legs, torso, head. */
export function rasterFigure(figure: Figure, width: number, height: number, sink: RunSink): void {
  const { x, y: feet, height: h, stride, outfit } = figure
  const top = Math.max(0, Math.round(feet - h))
  const bottom = Math.min(height, Math.round(feet))
  const emit = (row: number, halfWidth: number, color: Rgb): void => {
    const x0 = Math.max(0, Math.round(x - halfWidth))
    const x1 = Math.min(width, Math.round(x + halfWidth))
    if (x1 > x0) sink(row, x0, x1, color)
  }
  for (let row = top; row < bottom; row++) {
    const up = (feet - (row + 0.5)) / h
    if (up < LEGS_TOP) {
      const feetWidth = LEG_HALF_WIDTH_FEET + LEG_SPREAD * stride
      emit(row, h * (feetWidth + (LEG_HALF_WIDTH_HIP - feetWidth) * (up / LEGS_TOP)), outfit.trousers)
    }
    const torso = Math.abs(up - TORSO_CENTRE) / TORSO_HALF_HEIGHT
    if (torso < 1) {
      // A superellipse: square shoulders rather than an egg.
      emit(row, h * TORSO_HALF_WIDTH * Math.pow(1 - torso ** 4, 0.25), outfit.shirt)
    }
    const head = Math.abs(up - HEAD_CENTRE) / HEAD_RADIUS
    if (head < 1) emit(row, h * HEAD_RADIUS * Math.sqrt(1 - head * head), up > HAIRLINE ? outfit.hair : outfit.skin)
  }
}

/** The smallest box holding every painted pixel of the figure, or null if none is in view. */
export function figureBox(figure: Figure, width: number, height: number): Box | null {
  let box: Box | null = null
  rasterFigure(figure, width, height, (y, x0, x1) => {
    if (!box) box = { x0, y0: y, x1, y1: y + 1 }
    else box = { x0: Math.min(box.x0, x0), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x1), y1: y + 1 }
  })
  return box
}
