// Zones on the picture: plot coordinates (analysis-grid pixels, pixel x,y centred on x,y, y down)
// against the fractions a Zone is saved in (0..1 of the grid's width and height, so a zone fits
// any grid). The picture spans -0.5..W-0.5 by -0.5..H-0.5 in plot coordinates.
import type { Zone } from '../../../../../shared/project'

/** A point in plot coordinates: analysis-grid pixels. */
export type PlotPoint = [number, number]
/** A point as saved in a Zone: fractions of the grid. */
export type FractionPoint = [number, number]

export interface GridSize {
  width: number
  height: number
}

/** The most corners a zone may have (ZoneSchema). */
export const MAX_ZONE_POINTS = 64

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v)

/** Rounds a fraction so saved project files stay readable (1/100000 of the picture is plenty). */
const tidy = (v: number): number => Math.round(v * 100_000) / 100_000

export function toFraction([x, y]: PlotPoint, grid: GridSize): FractionPoint {
  return [tidy(clamp01((x + 0.5) / grid.width)), tidy(clamp01((y + 0.5) / grid.height))]
}

export function fromFraction([fx, fy]: FractionPoint, grid: GridSize): PlotPoint {
  return [fx * grid.width - 0.5, fy * grid.height - 0.5]
}

/** Keeps a point on the picture. */
export function clampToPicture([x, y]: PlotPoint, grid: GridSize): PlotPoint {
  return [Math.min(Math.max(x, -0.5), grid.width - 0.5), Math.min(Math.max(y, -0.5), grid.height - 0.5)]
}

/** The four corners of the rectangle spanned by two opposite corners, clockwise from top left. */
export function rectToPolygon(a: PlotPoint, b: PlotPoint): PlotPoint[] {
  const left = Math.min(a[0], b[0])
  const right = Math.max(a[0], b[0])
  const top = Math.min(a[1], b[1])
  const bottom = Math.max(a[1], b[1])
  return [
    [left, top],
    [right, top],
    [right, bottom],
    [left, bottom]
  ]
}

/** Area enclosed (shoelace), whichever way round the points go. */
export function polygonArea(points: ReadonlyArray<readonly [number, number]>): number {
  let twice = 0
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]
    const [x2, y2] = points[(i + 1) % points.length]
    twice += x1 * y2 - x2 * y1
  }
  return Math.abs(twice) / 2
}

/** Drops points that repeat the one before them (within `tolerance`), e.g. from a double-click. */
export function withoutRepeats(points: readonly PlotPoint[], tolerance: number): PlotPoint[] {
  const out: PlotPoint[] = []
  for (const p of points) {
    const last = out[out.length - 1]
    if (last && Math.hypot(p[0] - last[0], p[1] - last[1]) <= tolerance) continue
    out.push(p)
  }
  // A closing point on top of the first one adds nothing.
  while (out.length > 1) {
    const first = out[0]
    const last = out[out.length - 1]
    if (Math.hypot(first[0] - last[0], first[1] - last[1]) > tolerance) break
    out.pop()
  }
  return out
}

/** Is (x, y) inside the polygon? (Even-odd rule; for previews and tests.) */
export function pointInPolygon([x, y]: readonly [number, number], polygon: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]
    const [xj, yj] = polygon[j]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** The polygon's centre of mass (its vertices' mean when it has no area). */
export function centroid(points: readonly PlotPoint[]): PlotPoint {
  let a = 0
  let cx = 0
  let cy = 0
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]
    const [x2, y2] = points[(i + 1) % points.length]
    const cross = x1 * y2 - x2 * y1
    a += cross
    cx += (x1 + x2) * cross
    cy += (y1 + y2) * cross
  }
  if (Math.abs(a) < 1e-12) {
    const n = Math.max(points.length, 1)
    return [points.reduce((s, p) => s + p[0], 0) / n, points.reduce((s, p) => s + p[1], 0) / n]
  }
  return [cx / (3 * a), cy / (3 * a)]
}

/** An SVG path ("M x y L ... Z") in plot coordinates, for a Plotly path shape. */
export function zonePath(zone: Pick<Zone, 'points'>, grid: GridSize): string {
  return polygonPath(zone.points.map((p) => fromFraction(p, grid)))
}

export function polygonPath(points: readonly PlotPoint[], closed = true): string {
  if (points.length === 0) return ''
  const parts = points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round3(x)},${round3(y)}`)
  return parts.join(' ') + (closed ? ' Z' : '')
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000

/** A zone id (a slug, as ZoneSchema wants) from its name, not clashing with `taken`. */
export function zoneIdFor(name: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'area'
  if (!used.has(base)) return base
  for (let n = 2; ; n++) {
    const id = `${base}-${n}`
    if (!used.has(id)) return id
  }
}

/** A name for a new zone that the owner can keep or change: "Area 1", "Area 2", ... */
export function suggestZoneName(existing: readonly Pick<Zone, 'name'>[]): string {
  const names = new Set(existing.map((z) => z.name.trim().toLowerCase()))
  for (let n = existing.length + 1; ; n++) {
    const name = `Area ${n}`
    if (!names.has(name.toLowerCase())) return name
  }
}

/** Why a name cannot be used, in plain words, or null when it is fine. */
export function zoneNameProblem(name: string, others: readonly Pick<Zone, 'name'>[]): string | null {
  const trimmed = name.trim()
  if (trimmed.length === 0) return 'Give the area a name, for example "checkout".'
  if (trimmed.length > 60) return 'Keep the name under 60 letters.'
  if (others.some((z) => z.name.trim().toLowerCase() === trimmed.toLowerCase())) return `There is already an area called "${trimmed}".`
  return null
}

/** A new zone from a shape drawn in plot coordinates. */
export function makeZone(name: string, points: readonly PlotPoint[], grid: GridSize, existing: readonly Zone[]): Zone {
  return {
    id: zoneIdFor(name, existing.map((z) => z.id)),
    name: name.trim(),
    points: points.slice(0, MAX_ZONE_POINTS).map((p) => toFraction(p, grid))
  }
}

/** Distinct colours for zones, in the order they are listed (outlines, chart bars, table keys). */
export const ZONE_COLOURS = ['#0f766e', '#7c3aed', '#0369a1', '#be185d', '#4d7c0f', '#b45309', '#334155', '#9333ea']

export function zoneColour(index: number): string {
  return ZONE_COLOURS[((index % ZONE_COLOURS.length) + ZONE_COLOURS.length) % ZONE_COLOURS.length]
}
