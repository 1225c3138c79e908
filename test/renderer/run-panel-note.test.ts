// The Analyse step of a day, rendered to HTML (Svelte's server renderer, through Vite with the
// Svelte plugin, as the app is built): what it says about the day's note for each status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Component } from 'svelte'
import type { AppApi } from '../../src/shared/app-api'
import type { AnalysisState, Day, Project } from '../../src/shared/project'
import { INTERRUPTED_NOTE, REFERENCE_LOST_NOTE, STALE_NOTE } from '../../src/shared/day-notes'
import { startSvelteSsr, type SvelteSsr } from './svelte-ssr'

let ssr: SvelteSsr
let RunPanel: Component<Record<string, unknown>>

beforeAll(async () => {
  ssr = await startSvelteSsr()
  RunPanel = await ssr.component('/src/components/RunPanel.svelte')
})

afterAll(async () => {
  await ssr?.close()
})

function dayWith(analysis: Partial<AnalysisState>): Day {
  return {
    id: 'monday',
    name: 'Monday',
    clips: [],
    reference: { kind: 'auto' },
    settings: { speed: 'fast', sensitivity: 'normal' },
    analysis: { status: 'never', fraction: null, message: null, finishedAt: null, ...analysis }
  }
}

/** The panel's markup, its text (tags dropped, spaces squeezed) and the text of its note alone. */
function panel(day: Day, message: string | null = null): { body: string; text: string; note: string | null } {
  const project = { id: 'shop', name: 'Shop', days: [day], mask: null, zones: [] } as unknown as Project
  const { body } = ssr.render(RunPanel, {
    props: { api: {} as AppApi, project, day, progress: undefined, message, onproject: () => {}, onresults: () => {} }
  })
  const words = (html: string): string => html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
  const note = /<div[^>]*data-testid="analysis-note"[\s\S]*?<\/div>/.exec(body)?.[0] ?? null
  return { body, text: words(body), note: note && words(note) }
}

describe('the Analyse step tells the day’s note', () => {
  it('says a finished day is out of date, next to Analyse again, as a status and not an alert', () => {
    const { body, text, note } = panel(dayWith({ status: 'done', fraction: 1, message: STALE_NOTE, finishedAt: '2025-05-05T18:00:00.000Z' }))
    expect(body).toMatch(/<div[^>]*role="status"[^>]*data-testid="analysis-note"[^>]*data-out-of-date="true"/)
    expect(body).not.toContain('role="alert"')
    expect(note).toBe(`Out of date: ${STALE_NOTE}`)
    expect(body).toMatch(/<strong>Out of date:<\/strong>(<!--[^>]*-->)*\s+(<!--[^>]*-->)*The clips, settings/)
    expect(text.indexOf(STALE_NOTE)).toBeLessThan(text.indexOf('Analyse again'))
  })

  it('gives both notes when the picked frame went with its clip', () => {
    const { note } = panel(dayWith({ status: 'done', fraction: 1, message: `${REFERENCE_LOST_NOTE} ${STALE_NOTE}`, finishedAt: '2025-05-05T18:00:00.000Z' }))
    expect(note).toBe(`Out of date: ${REFERENCE_LOST_NOTE} ${STALE_NOTE}`)
  })

  it('shows a finished day without a note as before', () => {
    const { text, note } = panel(dayWith({ status: 'done', fraction: 1, finishedAt: '2025-05-05T18:00:00.000Z' }))
    expect(note).toBeNull()
    expect(text).toContain('Analyse again after changing the footage')
  })

  it('shows the lost-frame note on a stopped day, and does not repeat that the app was closed', () => {
    expect(panel(dayWith({ status: 'cancelled', message: REFERENCE_LOST_NOTE })).note).toBe(`Note: ${REFERENCE_LOST_NOTE}`)
    const interrupted = panel(dayWith({ status: 'interrupted', message: INTERRUPTED_NOTE }))
    expect(interrupted.note).toBeNull()
    expect(interrupted.text).toContain('Dwellmap was closed while it ran')
  })

  it('keeps a failure an error, with no note beside it', () => {
    const { body, note } = panel(dayWith({ status: 'failed', message: 'The clip a.mp4 could not be read.' }))
    expect(note).toBeNull()
    expect(body).toMatch(/role="alert"[^>]*data-testid="analysis-failed"/)
    expect(body).toContain('The clip a.mp4 could not be read.')
  })
})
