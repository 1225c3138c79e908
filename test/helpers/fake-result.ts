// A tiny loaded result for the pure parts of the results services.
import type { Summary } from '../../src/shared/summary'
import type { LoadedResult } from '../../src/main/services/day-results'

/** A 4x2 result over two clock hours: hour 8 had 10 frames, hour 9 had 30. */
export function fakeResult(): LoadedResult {
  const counts8 = [10, 5, 0, 0, 10, 5, 0, 0]
  const counts9 = [0, 0, 30, 15, 0, 0, 30, 15]
  const heatmap = Float32Array.from(counts8.map((c, i) => (c + counts9[i]) / 40))
  const summary = {
    hours: [
      { start: '2026-03-09T08:00:00', framesUsed: 10, meanShare: 0 },
      { start: '2026-03-09T09:00:00', framesUsed: 30, meanShare: 0 }
    ],
    settings: { method: 'occupancy' }
  } as unknown as Summary
  return { dir: '/r', summary, width: 4, height: 2, heatmap, hours: Float32Array.from([...counts8, ...counts9]), backgroundPng: Buffer.alloc(0) }
}

/** The left and right halves of the picture, as zones. */
export const HALVES = [
  { id: 'left', name: 'Left', points: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] as Array<[number, number]> },
  { id: 'right', name: 'Right', points: [[0.5, 0], [1, 0], [1, 1], [0.5, 1]] as Array<[number, number]> }
]
