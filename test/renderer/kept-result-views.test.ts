// The views of a day whose result is kept from an earlier analysis (a newer one runs, stopped or
// failed), rendered to HTML with Svelte's server renderer: the result stays reachable, is said to
// be the earlier one, and can be compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Component } from 'svelte'
import type { AppApi } from '../../src/shared/app-api'
import type { AnalysisState, Day, LastResult, Project } from '../../src/shared/project'
import { startSvelteSsr, type SvelteSsr } from './svelte-ssr'

let ssr: SvelteSsr
const views: Record<string, Component<Record<string, unknown>>> = {}

beforeAll(async () => {
  ssr = await startSvelteSsr({ alias: { 'plotly.js-dist': new URL('./plotly-stub.ts', import.meta.url).pathname } })
  for (const name of ['DayWorkspace', 'results/DayResults', 'results/CompareDays', 'results/ExportPanel']) views[name] = await ssr.component(`/src/components/${name}.svelte`)
})

afterAll(async () => {
  await ssr?.close()
})

const FINISHED = '2026-03-09T18:00:00.000Z'

function dayWith(id: string, analysis: Partial<AnalysisState>, lastResult?: LastResult): Day {
  return {
    id,
    name: id[0].toUpperCase() + id.slice(1),
    clips: [{ path: `/f/${id}.mp4`, bytes: 1, width: 4, height: 2, fps: 25, durationSeconds: 60, startedAt: null, startSource: null, problem: null }],
    reference: { kind: 'auto' },
    settings: { speed: 'fast', sensitivity: 'normal' },
    analysis: { status: 'never', fraction: null, message: null, finishedAt: null, ...analysis },
    ...(lastResult ? { lastResult } : {})
  }
}

const projectOf = (...days: Day[]): Project => ({ dwellmapProject: 1, id: 'shop', name: 'Shop', days, zones: [], mask: null })
const api = new Proxy({}, { get: () => () => new Promise(() => {}) }) as AppApi
const render = (name: string, props: Record<string, unknown>): string => ssr.render(views[name], { props }).body

const stopped = (id: string, status: AnalysisState['status'] = 'cancelled'): Day => dayWith(id, { status, finishedAt: '2026-03-10T09:00:00.000Z' }, { finishedAt: FINISHED, clips: 1, leftOut: [] })

describe('a result kept while a newer analysis runs, or after it stopped or failed', () => {
  it('keeps the Results step open', () => {
    for (const status of ['running', 'cancelled', 'failed', 'interrupted'] as const) {
      const day = stopped('monday', status)
      const body = render('DayWorkspace', { client: { api, onEvent: () => () => {} }, project: projectOf(day), day, progress: undefined, message: null, onproject: () => {} })
      expect(body).toMatch(/<button[^>]*data-testid="step-results"/)
      expect(/<button[^>]*data-testid="step-results"[^>]*>/.exec(body)?.[0]).not.toContain('disabled')
    }
    const never = dayWith('monday', {})
    const body = render('DayWorkspace', { client: { api, onEvent: () => () => {} }, project: projectOf(never), day: never, progress: undefined, message: null, onproject: () => {} })
    expect(/<button[^>]*data-testid="step-results"[^>]*>/.exec(body)?.[0]).toContain('disabled')
  })

  it('says in the results that the map is the earlier analysis', () => {
    const body = render('results/DayResults', { api, projectId: 'shop', dayId: 'monday', project: projectOf(stopped('monday')) })
    expect(body).not.toContain('data-testid="day-not-analysed"')
    expect(body).toMatch(/data-testid="results-earlier"[^>]*>Showing the analysis of [^<]+; a newer one did not finish\./)
  })

  it('offers the day for comparison, marked as the earlier analysis', () => {
    const body = render('results/CompareDays', { api, project: projectOf(stopped('monday', 'failed'), dayWith('tuesday', { status: 'done', finishedAt: FINISHED })) })
    expect(body).not.toContain('data-testid="compare-need-two"')
    expect(body).toContain('Monday (earlier analysis)')
    expect(body).toMatch(/data-testid="compare-earlier"[^>]*>Monday: Showing the analysis of [^<]+; a newer one did not finish\./)
  })
})

describe('exports of hours without footage', () => {
  it('offers only the whole day’s files, and says why', () => {
    const body = render('results/ExportPanel', { api, projectId: 'shop', dayId: 'monday', graph: null, viewFileName: 'x.png', timeWindow: null, windowNote: null, noFootage: '14:00 to 15:00' })
    const button = (kind: string): string => /<button[^>]*data-testid="export-[^"]+"[^>]*>/.exec(body.slice(body.indexOf(`data-testid="export-${kind}"`) - 200))?.[0] ?? ''
    for (const kind of ['view-png', 'zones-csv', 'grid-csv', 'heatmap-npy']) expect(button(kind)).toContain('disabled')
    for (const kind of ['report-html', 'heatmap-png']) expect(button(kind)).not.toContain('disabled')
    expect(body).toContain('There is no footage from 14:00 to 15:00')
  })
})
