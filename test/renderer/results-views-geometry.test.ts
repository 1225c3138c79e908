// Zones on the picture: plot coordinates against the fractions a Zone is saved in, shapes, names.
import { describe, expect, it } from 'vitest'
import { ZoneSchema } from '../../src/shared/project'
import {
  centroid,
  clampToPicture,
  fromFraction,
  makeZone,
  polygonArea,
  polygonPath,
  pointInPolygon,
  rectToPolygon,
  suggestZoneName,
  toFraction,
  withoutRepeats,
  zoneColour,
  zoneIdFor,
  zoneNameProblem,
  zonePath
} from '../../src/renderer/src/components/results/lib/zone-geometry'

const GRID = { width: 480, height: 270 }

describe('fractions of the grid', () => {
  it('maps the picture edges to 0 and 1, and pixel centres to (x + 0.5) / W', () => {
    expect(toFraction([-0.5, -0.5], GRID)).toEqual([0, 0])
    expect(toFraction([479.5, 269.5], GRID)).toEqual([1, 1])
    expect(toFraction([0, 0], GRID)).toEqual([Number((0.5 / 480).toFixed(5)), Number((0.5 / 270).toFixed(5))])
    expect(toFraction([239.5, 134.5], GRID)).toEqual([0.5, 0.5])
  })

  it('clamps points off the picture into 0..1', () => {
    expect(toFraction([-20, 900], GRID)).toEqual([0, 1])
  })

  it('round-trips within the rounding of saved fractions', () => {
    for (const p of [
      [10, 20],
      [300.25, 100.75],
      [-0.5, 269.5]
    ] as Array<[number, number]>) {
      const [x, y] = fromFraction(toFraction(p, GRID), GRID)
      expect(x).toBeCloseTo(p[0], 2)
      expect(y).toBeCloseTo(p[1], 2)
    }
  })

  it('keeps points on the picture', () => {
    expect(clampToPicture([-3, 300], GRID)).toEqual([-0.5, 269.5])
    expect(clampToPicture([12, 13], GRID)).toEqual([12, 13])
  })
})

describe('shapes', () => {
  it('turns two opposite corners, dragged either way, into the same clockwise rectangle', () => {
    const expected = [
      [10, 20],
      [50, 20],
      [50, 60],
      [10, 60]
    ]
    expect(rectToPolygon([10, 20], [50, 60])).toEqual(expected)
    expect(rectToPolygon([50, 60], [10, 20])).toEqual(expected)
    expect(rectToPolygon([10, 60], [50, 20])).toEqual(expected)
    expect(polygonArea(expected as Array<[number, number]>)).toBe(1600)
  })

  it('measures area whichever way round, and finds points inside', () => {
    const tri: Array<[number, number]> = [
      [0, 0],
      [10, 0],
      [0, 10]
    ]
    expect(polygonArea(tri)).toBe(50)
    expect(polygonArea([...tri].reverse())).toBe(50)
    expect(pointInPolygon([2, 2], tri)).toBe(true)
    expect(pointInPolygon([8, 8], tri)).toBe(false)
  })

  it('finds the centre of a shape', () => {
    const [x, y] = centroid(rectToPolygon([0, 0], [10, 20]))
    expect(x).toBeCloseTo(5)
    expect(y).toBeCloseTo(10)
    // No area: the mean of the points.
    expect(centroid([
      [0, 0],
      [4, 0]
    ])).toEqual([2, 0])
  })

  it('drops repeated points and a closing point on the first', () => {
    expect(
      withoutRepeats(
        [
          [0, 0],
          [10, 0],
          [10.2, 0.1],
          [10, 10],
          [0.1, 0]
        ],
        0.5
      )
    ).toEqual([
      [0, 0],
      [10, 0],
      [10, 10]
    ])
  })

  it('writes SVG paths for Plotly shapes in plot coordinates', () => {
    expect(
      polygonPath([
        [1, 2],
        [3.33333, 4]
      ])
    ).toBe('M1,2 L3.333,4 Z')
    expect(polygonPath([[1, 2]], false)).toBe('M1,2')
    expect(zonePath({ points: [
      [0, 0],
      [1, 0],
      [1, 1]
    ] }, GRID)).toBe('M-0.5,-0.5 L479.5,-0.5 L479.5,269.5 Z')
  })
})

describe('zone names and ids', () => {
  it('makes slug ids that ZoneSchema accepts, never clashing', () => {
    expect(zoneIdFor('Checkout', [])).toBe('checkout')
    expect(zoneIdFor('Window display', [])).toBe('window-display')
    expect(zoneIdFor('Window display', ['window-display', 'window-display-2'])).toBe('window-display-3')
    expect(zoneIdFor('Café & Kasse!', [])).toBe('cafe-kasse')
    expect(zoneIdFor('???', [])).toBe('area')
    expect(zoneIdFor('x'.repeat(100), []).length).toBeLessThanOrEqual(40)
  })

  it('suggests a free name and explains a bad one', () => {
    expect(suggestZoneName([])).toBe('Area 1')
    expect(suggestZoneName([{ name: 'Area 2' }])).toBe('Area 3')
    expect(suggestZoneName([{ name: 'checkout' }, { name: 'area 3' }])).toBe('Area 4')
    expect(zoneNameProblem('  ', [])).toMatch(/name/)
    expect(zoneNameProblem('Checkout', [{ name: 'checkout' }])).toMatch(/already/)
    expect(zoneNameProblem('x'.repeat(61), [])).toMatch(/60/)
    expect(zoneNameProblem('window display', [{ name: 'checkout' }])).toBeNull()
  })

  it('makes a zone the contract accepts from a drawn shape', () => {
    const zone = makeZone(' checkout ', rectToPolygon([100, 50], [200, 150]), GRID, [{ id: 'checkout', name: 'Old', points: [[0, 0], [1, 0], [1, 1]] }])
    expect(ZoneSchema.parse(zone)).toEqual(zone)
    expect(zone.id).toBe('checkout-2')
    expect(zone.name).toBe('checkout')
    expect(zone.points).toHaveLength(4)
    expect(zone.points[0][0]).toBeCloseTo(100.5 / 480, 4)
  })

  it('gives zones distinct colours in order, and wraps around', () => {
    expect(zoneColour(0)).not.toBe(zoneColour(1))
    expect(zoneColour(8)).toBe(zoneColour(0))
    expect(zoneColour(-1)).toBe(zoneColour(7))
  })
})
