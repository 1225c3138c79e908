// What report.html shows for one analysis: the heatmap over the picture, activity by hour,
// and the facts of the run in plain words.
import { basename } from 'node:path'
import type { Summary } from '../../shared/summary'
import { reduceGrid } from './display-grid'
import type { ReportContent } from './report-html'

export function describeInputs(summary: Summary): Array<[string, string]> {
  return summary.inputs.map((i) => [
    basename(i.path),
    i.status === 'analysed'
      ? `${i.width}x${i.height}, ${i.durationSeconds === null ? 'unknown length' : `${Math.round(i.durationSeconds)} s`}, ${i.framesSampled} frames sampled${i.startedAt ? `, started ${i.startedAt.replace('T', ' ')} (${i.startSource})` : ''}${i.problem ? `; ${i.problem}` : ''}`
      : `not analysed: ${i.problem ?? 'unreadable'}`
  ])
}

export function analysisReport(summary: Summary, values: Float32Array, backgroundPng: Buffer): ReportContent {
  const { width, height } = summary.grid
  const occupancy = summary.settings.method === 'occupancy'
  const first = summary.inputs.find((i) => i.status === 'analysed')
  return {
    title: `Where people spent their time${first?.startedAt ? ` on ${first.startedAt.slice(0, 10)}` : ''}`,
    subtitle: `${summary.inputs.filter((i) => i.status === 'analysed').length} clip(s), ${summary.frames.used} frames analysed with Dwellmap (${summary.settings.method} method)`,
    maps: [{
      title: occupancy ? 'Share of time each place was occupied' : 'Summed change from the empty scene',
      grid: reduceGrid({ width, height, data: values }),
      width, height,
      backgroundPngBase64: backgroundPng.toString('base64'),
      scale: occupancy ? 100 : 1,
      colorbarTitle: occupancy ? '% of time occupied' : 'summed difference',
      diverging: false
    }],
    hours: summary.hours.map((h) => ({ start: h.start, value: h.meanShare * 100 })),
    hoursTitle: 'mean % of the picture occupied',
    tables: [
      { caption: 'Footage', rows: describeInputs(summary) },
      {
        caption: 'How it was analysed',
        rows: [
          ['Method', summary.settings.method],
          ['Empty scene', emptySceneWords(summary.resolved.reference)],
          ['Frames', `${summary.frames.used} used, ${summary.frames.skipped} skipped (lights or camera changes), sampling ${summary.resolved.sample}`],
          ['Grid', `${width}x${height} pixels`],
          ['Kernel', summary.kernel],
          ['Time taken', `${summary.timings.totalSeconds.toFixed(1)} s`],
          ['Created', summary.createdAt]
        ]
      }
    ]
  }
}

/** summary.json's resolved reference in the report's words: "auto" in older results, "auto: how it was built" now. */
export function emptySceneWords(resolved: string): string {
  const auto = /^auto(?::\s*(.*))?$/.exec(resolved)
  if (!auto) return resolved
  return `built automatically from the footage${auto[1] ? `: ${auto[1]}` : ''}`
}
