// The Analyse step of a day, rendered to HTML: while a day of the project is being analysed, the
// mask (one per project, read by every analysis) cannot be changed, and the page says why before
// the owner paints anything, rather than refusing the save afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Component } from 'svelte'
import type { AppApi } from '../../src/shared/app-api'
import type { AnalysisState, Day, Project } from '../../src/shared/project'
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

const MASK = 'data:image/png;base64,iVBORw0KGgo='

function day(id: string, name: string, status: AnalysisState['status']): Day {
  return {
    id,
    name,
    clips: [],
    reference: { kind: 'auto' },
    settings: { speed: 'fast', sensitivity: 'normal' },
    analysis: { status, fraction: status === 'running' ? 0.5 : null, message: null, finishedAt: null }
  }
}

/** The mask card of Monday's page: its reason (if any) and its button to open the painter. */
function maskCard(days: Day[], mask: string | null = null): { reason: string | null; toggle: string; toggleDisabled: boolean } {
  const project = { dwellmapProject: 1, id: 'shop', name: 'Shop', days, mask, zones: [] } as Project
  const { body } = ssr.render(RunPanel, {
    props: { api: {} as AppApi, project, day: days[0], progress: undefined, message: null, onproject: () => {}, onresults: () => {} }
  })
  const words = (html: string): string => html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()
  const reason = /<p[^>]*data-testid="mask-locked"[^>]*>[\s\S]*?<\/p>/.exec(body)?.[0] ?? null
  const toggle = /<button[^>]*data-testid="toggle-mask"[^>]*>[\s\S]*?<\/button>/.exec(body)?.[0]
  if (!toggle) throw new Error('no button to open the painter')
  if (reason) expect(reason).toContain('role="status"')
  return { reason: reason && words(reason), toggle: words(toggle), toggleDisabled: /^<button[^>]*\sdisabled[\s>=]/.test(toggle) }
}

describe('the mask while a day is analysed', () => {
  it('can be painted when no day of the project is being analysed', () => {
    expect(maskCard([day('monday', 'Monday', 'done'), day('tuesday', 'Tuesday', 'never')])).toEqual({ reason: null, toggle: 'Paint areas to ignore…', toggleDisabled: false })
    expect(maskCard([day('monday', 'Monday', 'done')], MASK)).toEqual({ reason: null, toggle: 'Change the areas…', toggleDisabled: false })
  })

  it('says why it cannot be changed while this day runs, and there is no painter to open without a mask', () => {
    expect(maskCard([day('monday', 'Monday', 'running')])).toEqual({
      reason: 'Wait for the analysis of Monday to finish or cancel it before changing the mask.',
      toggle: 'Show the areas…',
      toggleDisabled: true
    })
  })

  it('is locked by another day of the project too, and a saved mask can still be looked at', () => {
    expect(maskCard([day('monday', 'Monday', 'done'), day('tuesday', 'Tuesday', 'running')], MASK)).toEqual({
      reason: 'Wait for the analysis of Tuesday to finish or cancel it before changing the mask.',
      toggle: 'Show the areas…',
      toggleDisabled: false
    })
    expect(maskCard([day('monday', 'Monday', 'running'), day('tuesday', 'Tuesday', 'running')], MASK).reason).toBe(
      'Wait for the analyses of Monday and Tuesday to finish or cancel them before changing the mask.'
    )
  })
})
