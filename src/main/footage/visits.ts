// Who comes into the shop, when, wearing what, and where they stop for how long: the clip's
// script as plain data, drawn from the clip's seed. Times are in seconds, positions are
// frame-relative feet positions (see layout.ts).
import type { ClipSpec } from './clip-spec'
import { ENTRANCES, FLOOR_PLANS, type Point } from './layout'
import { mulberry32, pick, pickWeighted, uniform } from './random'
import type { Rgb } from './scene'

export interface Outfit {
  hair: Rgb
  skin: Rgb
  shirt: Rgb
  trousers: Rgb
}

/** One straight piece of a visit: walking from one point to another, or standing (from = to). */
export interface Segment {
  start: number
  end: number
  from: Point
  to: Point
  /** Index into the layout's spots while standing there; null while walking. */
  spot: number | null
}

export interface Visit {
  outfit: Outfit
  /** Back to back, from the entrance to the exit. */
  segments: Segment[]
}

// Clothes are dark or saturated, so they stand out from the light floor and wall in grey too.
const SHIRTS: Rgb[] = [
  [170, 30, 40], [30, 60, 140], [30, 110, 60], [35, 35, 40], [110, 50, 130], [200, 120, 20], [20, 100, 110]
]
const TROUSERS: Rgb[] = [[40, 50, 80], [30, 30, 32], [85, 70, 55], [60, 64, 70]]
const SKIN: Rgb[] = [[224, 172, 140], [198, 134, 66], [141, 85, 36], [92, 60, 40]]
const HAIR: Rgb[] = [[30, 24, 20], [70, 45, 25], [20, 20, 20], [120, 100, 80]]

/** Walking speed in frame heights per second (a shop about 10 m across at 1.3 m/s). */
const SPEED = 0.3
const ARRIVAL_GAP = [3, 10] as const
const STAND_SECONDS = [6, 18] as const

export function planVisits(spec: ClipSpec): Visit[] {
  const rng = mulberry32(spec.seed)
  const spots = FLOOR_PLANS[spec.layout].spots
  const weights = spots.map((s) => s.weight)
  const aspect = spec.width / spec.height
  const visits: Visit[] = []
  for (let arrival = spec.emptyFirstSeconds; arrival < spec.seconds; arrival += uniform(rng, ...ARRIVAL_GAP)) {
    const first = visits.length === 0
    // The first visitor always stops at the promotion, so even a short clip has a known hot spot.
    const stopCount = first ? 1 : pickWeighted(rng, [0.2, 0.5, 0.3])
    const stops: number[] = []
    while (stops.length < stopCount) {
      const spot = first ? 0 : pickWeighted(rng, weights)
      if (spot !== stops.at(-1)) stops.push(spot)
    }
    const outfit = { hair: pick(rng, HAIR), skin: pick(rng, SKIN), shirt: pick(rng, SHIRTS), trousers: pick(rng, TROUSERS) }
    const speed = SPEED * uniform(rng, 0.85, 1.15)
    const segments: Segment[] = []
    let t = arrival
    const entrance = pick(rng, ENTRANCES)
    let at = entrance
    const walkTo = (to: Point): void => {
      const seconds = Math.hypot((to.x - at.x) * aspect, to.y - at.y) / speed
      segments.push({ start: t, end: t + seconds, from: at, to, spot: null })
      t += seconds
      at = to
    }
    for (const spot of stops) {
      walkTo(spots[spot])
      const seconds = uniform(rng, ...STAND_SECONDS)
      segments.push({ start: t, end: t + seconds, from: at, to: at, spot })
      t += seconds
    }
    // Someone who stops nowhere crosses the shop instead of turning round at the door.
    walkTo(pick(rng, stops.length > 0 ? ENTRANCES : ENTRANCES.filter((e) => e !== entrance)))
    visits.push({ outfit, segments })
  }
  return visits
}
