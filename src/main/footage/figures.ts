// Where every person is in a given frame: a pure function of the frame index, so that the
// renderer and the ground truth see exactly the same people, and tests can ask where they are.
import { frameCount, type ClipSpec } from './clip-spec'
import { personHeightAt } from './layout'
import { planVisits, type Outfit, type Visit } from './visits'

/** A person in pixel units. */
export interface Figure {
  /** Index of the visit this person belongs to: stable across frames. */
  visitor: number
  /** Centre of the feet. */
  x: number
  /** Bottom of the feet; the body extends upwards from here. */
  y: number
  height: number
  /** 0 with feet together (standing) to 1 at full stride. */
  stride: number
  /** Index of the layout spot while standing there; null while walking. */
  spot: number | null
  outfit: Outfit
}

/** Steps per second: drives the leg swing while walking. */
const STEP_RATE = 1.8

export class FigureScript {
  readonly frames: number
  private readonly visits: Visit[]

  constructor(private readonly spec: ClipSpec) {
    this.frames = frameCount(spec)
    this.visits = planVisits(spec)
  }

  /** The people in view (or just outside it) at a frame, far ones first so near ones cover them. */
  at(frame: number): Figure[] {
    const t = frame / this.spec.fps
    const { width, height } = this.spec
    const figures: Figure[] = []
    this.visits.forEach((visit, visitor) => {
      const { segments } = visit
      if (t < segments[0].start || t >= segments[segments.length - 1].end) return
      const segment = segments.find((s) => s.start <= t && t < s.end)
      if (!segment) return
      const progress = (t - segment.start) / (segment.end - segment.start)
      const rx = segment.from.x + (segment.to.x - segment.from.x) * progress
      const ry = segment.from.y + (segment.to.y - segment.from.y) * progress
      const walking = segment.spot === null
      figures.push({
        visitor,
        x: rx * width,
        y: ry * height,
        height: personHeightAt(ry) * height,
        stride: walking ? Math.abs(Math.sin(Math.PI * STEP_RATE * (t - segment.start))) : 0,
        spot: segment.spot,
        outfit: visit.outfit
      })
    })
    return figures.sort((a, b) => a.y - b.y || a.visitor - b.visitor)
  }
}
