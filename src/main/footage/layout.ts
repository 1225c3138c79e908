// The shop's floor plan in frame-relative coordinates (x as a share of the width, y of the
// height), so every resolution shows the same shop. Scene and figures both read it: the promo
// shelf and the spots where people stop must agree.

export type Layout = 'before' | 'after'

/** Feet position of a person, relative to the frame. */
export interface Point {
  x: number
  y: number
}

export interface Spot extends Point {
  name: string
  /** How often visitors choose this spot, relative to the other spots. */
  weight: number
}

export interface FloorPlan {
  /** Which back-shelf section carries the promotion (bright goods and a banner). */
  promoSection: number
  /** Spot 0 is the promotion: the first visitor of every clip stops there. */
  spots: Spot[]
}

/** The back wall shelving, split into equal sections. */
export const BACK_SHELF = { x0: 0.06, x1: 0.94, y0: 0.12, y1: 0.42, sections: 4 } as const

/** The checkout counter on the right of the floor. */
export const COUNTER = { x0: 0.8, x1: 0.98, y0: 0.55, y1: 0.78 } as const

/** The floor starts where the back wall ends. */
export const FLOOR_TOP = BACK_SHELF.y1

/** Where people come in and go out: a side door on the left and the open front on the right. */
export const ENTRANCES: readonly Point[] = [
  { x: -0.06, y: 0.72 },
  { x: 1.06, y: 0.95 }
]

// 'before' and 'after' are the same shop a week apart: the owner moved the promotion from the
// left shelf section to the right one, and the crowd followed it.
export const FLOOR_PLANS: Record<Layout, FloorPlan> = {
  before: {
    promoSection: 0,
    spots: [
      { name: 'promo shelf (left)', x: 0.17, y: 0.5, weight: 4 },
      { name: 'checkout', x: 0.72, y: 0.7, weight: 2 },
      { name: 'middle shelf', x: 0.5, y: 0.52, weight: 1 }
    ]
  },
  after: {
    promoSection: 3,
    spots: [
      { name: 'promo shelf (right)', x: 0.83, y: 0.5, weight: 4 },
      { name: 'checkout', x: 0.72, y: 0.7, weight: 2 },
      { name: 'middle shelf', x: 0.5, y: 0.52, weight: 1 }
    ]
  }
}

/** Height of a person whose feet are at relative y, as a share of the frame height: the camera
 *  looks down into the shop, so people further back look smaller. */
export function personHeightAt(y: number): number {
  return 0.2 + 0.35 * (y - FLOOR_TOP)
}
