// Two days side by side: both results on one colour scale, where people spent more or less time
// on the second day (B - A), and each area's share on both days with the change.
import type { CompareView, DayResult } from '../../shared/app-api'
import { decodeGridValues } from '../../shared/api'
import { reduceGrid } from '../results/display-grid'
import { AppError } from './app-error'
import type { ShareGrid } from './day-results'

export interface ComparedDay {
  name: string
  result: DayResult
  share: ShareGrid
}

function finiteMax(values: Float32Array): number {
  let max = 0
  for (const v of values) if (Number.isFinite(v) && v > max) max = v
  return max
}

export function compareDayResults(a: ComparedDay, b: ComparedDay): CompareView {
  if (a.share.width !== b.share.width || a.share.height !== b.share.height) {
    throw new AppError(
      'invalid',
      `${b.name} was analysed at ${b.share.width}x${b.share.height} and ${a.name} at ${a.share.width}x${a.share.height}; both days need footage of the same camera and the same speed setting to be compared.`
    )
  }
  const methodA = a.result.view.summary.settings.method
  const methodB = b.result.view.summary.settings.method
  if (methodA !== methodB) throw new AppError('invalid', `${a.name} and ${b.name} were analysed with different methods (${methodA}, ${methodB}); analyse both again to compare them.`)
  const diff = new Float32Array(a.share.values.length)
  for (let i = 0; i < diff.length; i++) diff[i] = b.share.values[i] - a.share.values[i]
  const sharedMax = Math.max(finiteMax(decodeGridValues(a.result.view.grid)), finiteMax(decodeGridValues(b.result.view.grid)))
  const zones = a.result.zones.map((za) => {
    const zb = b.result.zones.find((z) => z.zoneId === za.zoneId)
    const bShare = zb?.share ?? 0
    return { zoneId: za.zoneId, name: za.name, a: za.share, b: bShare, change: bShare - za.share }
  })
  return {
    a: a.result,
    b: b.result,
    difference: reduceGrid({ width: a.share.width, height: a.share.height, data: diff }),
    sharedMax,
    zones
  }
}
