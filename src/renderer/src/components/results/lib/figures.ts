// Numbers in the owner's words: shares of time as percentages, changes in percentage points,
// and the sentences that explain the colours.
import type { TimeWindow, ZoneFigure } from '../../../../../shared/app-api'
import { hourLabel, hourOfStart, windowLabel } from './time-window'

/** A share of time (0..1) as "12.3 %". */
export function percent(share: number, digits = 1): string {
  if (!Number.isFinite(share)) return '–'
  return `${(share * 100).toFixed(digits)} %`
}

/** Changes smaller than this (a share, 0.05 percentage points) read as "no change". */
export const SAME_THRESHOLD = 0.0005

export type Tone = 'more' | 'less' | 'same'

export function changeTone(change: number, threshold = SAME_THRESHOLD): Tone {
  if (!Number.isFinite(change) || Math.abs(change) < threshold) return 'same'
  return change > 0 ? 'more' : 'less'
}

/** A change of share (B - A, 0..1 units) as "+3.2 points", "−1.0 points" or "no change". */
export function pointsChange(change: number, threshold = SAME_THRESHOLD): string {
  const tone = changeTone(change, threshold)
  if (tone === 'same') return 'no change'
  const value = Math.abs(change * 100).toFixed(1)
  return `${tone === 'more' ? '+' : '\u2212'}${value} points`
}

/** "At checkout, people spent more of the time on Tuesday (+3.2 points)." */
export function zoneChangeSentence(zone: string, change: number, aName: string, bName: string): string {
  switch (changeTone(change)) {
    case 'more':
      return `${zone}: busier on ${bName} than on ${aName} (${pointsChange(change)}).`
    case 'less':
      return `${zone}: quieter on ${bName} than on ${aName} (${pointsChange(change)}).`
    default:
      return `${zone}: about the same on both days.`
  }
}

/** The legend of the difference map. */
export function differenceLegend(aName: string, bName: string): { more: string; less: string; same: string } {
  return {
    more: `Red: people spent more time here on ${bName}.`,
    less: `Blue: people spent less time here on ${bName} than on ${aName}.`,
    same: 'No colour: about the same on both days.'
  }
}

/** The hour a zone was busiest, as "12:00", or null when it never was. */
export function busiestHour(zone: ZoneFigure): string | null {
  let best: { hour: string; share: number } | null = null
  for (const h of zone.byHour) if (h.share > 0 && (!best || h.share > best.share)) best = h
  if (!best) return null
  const hour = hourOfStart(best.hour)
  return hour === null ? best.hour : hourLabel(hour)
}

/** "12:00" for an hour bucket's start, as charts label it. */
export function hourBucketLabel(start: string): string {
  const hour = hourOfStart(start)
  return hour === null ? start : hourLabel(hour)
}

/** What the heatmap shows, in one sentence. */
export function heatmapCaption(dayName: string, window: TimeWindow | null): string {
  const when = window ? `from ${windowLabel(window)}` : 'over the whole day'
  return `Where people spent their time on ${dayName}, ${when}. The warmer the colour, the longer people stayed there.`
}

/** The zones sorted busiest first (the table's order). */
export function byShare<T extends { share: number }>(zones: readonly T[]): T[] {
  return [...zones].sort((a, b) => b.share - a.share)
}
