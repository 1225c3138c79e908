// The marks between clips on the empty-scene timeline: one line per clip buried the thumbnails on
// days of many clips (510 one-minute clips: a solid orange strip), and an hour with no footage
// showed only as a jump of the axis. Thinned marks and visible breaks, as the Timeline draws them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Component } from 'svelte'
import type { AppApi } from '../../src/shared/app-api'
import type { Clip, Day, Project } from '../../src/shared/project'
import { segmentsOf } from '../../src/renderer/src/lib/timeline'
import { describeMark, GAP_MIN_SECONDS, timelineMarks } from '../../src/renderer/src/lib/timeline-marks'
import { startSvelteSsr, type SvelteSsr } from './svelte-ssr'

function clip(i: number, startedAt: string | null, durationSeconds = 60): Clip {
  return { path: `/footage/${String(i).padStart(4, '0')}.mp4`, bytes: 1, width: 320, height: 240, fps: 10, durationSeconds, startedAt, startSource: startedAt ? 'given' : null, problem: null }
}

/** `count` clips of a minute each from 08:00, back to back, with `skip` minutes missing after clip `gapAfter`. */
function dayOfClips(count: number, gapAfter = -1, skip = 0): Clip[] {
  const start = Date.UTC(2026, 2, 9, 8, 0, 0)
  return Array.from({ length: count }, (_, i) => {
    const minutes = i + (gapAfter >= 0 && i > gapAfter ? skip : 0)
    return clip(i, new Date(start + minutes * 60_000).toISOString().slice(0, 19))
  })
}

describe('marks between clips', () => {
  it('never puts two marks closer than a few pixels, however many clips', () => {
    const segments = segmentsOf(dayOfClips(510))
    const total = segments[segments.length - 1].end
    for (const width of [300, 960, 1400]) {
      const marks = timelineMarks(segments, width)
      expect(marks.length).toBeGreaterThan(0)
      expect(marks.length).toBeLessThanOrEqual(width / 8)
      for (let i = 1; i < marks.length; i++) expect(((marks[i].seconds - marks[i - 1].seconds) / total) * width).toBeGreaterThanOrEqual(8 - 1e-6)
      // Every boundary is accounted for by one mark.
      expect(marks.reduce((n, m) => n + m.count, 0)).toBe(509)
      expect(marks.every((m) => m.kind === 'join')).toBe(true)
    }
  })

  it('keeps one mark per boundary where they are far enough apart', () => {
    const marks = timelineMarks(segmentsOf(dayOfClips(5)), 960)
    expect(marks.map((m) => [m.seconds, m.kind])).toEqual([[60, 'join'], [120, 'join'], [180, 'join'], [240, 'join']])
    expect(describeMark(marks[0])).toBe('Next clip starts')
  })

  it('shows time with no footage as a break, with the clock times around it', () => {
    // 09:20 to 09:45 missing: 80 clips from 08:00, then 25 minutes of nothing.
    const marks = timelineMarks(segmentsOf(dayOfClips(120, 79, 25)), 960)
    const gaps = marks.filter((m) => m.kind === 'gap')
    expect(gaps).toHaveLength(1)
    expect(gaps[0]).toMatchObject({ seconds: 80 * 60, missingSeconds: 25 * 60, from: '09:20', to: '09:45' })
    expect(describeMark(gaps[0])).toBe('No footage for 25 min (09:20 to 09:45)')
  })

  it('does not hide a gap among close boundaries: the merged mark is a break, where the gap is', () => {
    const marks = timelineMarks(segmentsOf(dayOfClips(510, 300, 40)), 960)
    const gaps = marks.filter((m) => m.kind === 'gap')
    expect(gaps).toHaveLength(1)
    expect(gaps[0]).toMatchObject({ seconds: 301 * 60, missingSeconds: 40 * 60 })
  })

  it('takes the recorder’s seams between files, and clips of unknown time, for clips that follow on', () => {
    const seam = [clip(0, '2026-03-09T08:00:00'), clip(1, `2026-03-09T08:01:${String(GAP_MIN_SECONDS - 1).padStart(2, '0')}`)]
    expect(timelineMarks(segmentsOf(seam), 960).map((m) => m.kind)).toEqual(['join'])
    expect(timelineMarks(segmentsOf([clip(0, null), clip(1, null)]), 960).map((m) => m.kind)).toEqual(['join'])
  })
})

describe('the Timeline draws them', () => {
  let ssr: SvelteSsr
  let Timeline: Component<Record<string, unknown>>

  beforeAll(async () => {
    ssr = await startSvelteSsr()
    Timeline = await ssr.component('/src/components/Timeline.svelte')
  })

  afterAll(async () => {
    await ssr?.close()
  })

  function render(clips: Clip[]): string {
    const day: Day = {
      id: 'monday', name: 'Monday', clips, reference: { kind: 'auto' }, settings: { speed: 'fast', sensitivity: 'normal' },
      analysis: { status: 'never', fraction: null, message: null, finishedAt: null }
    }
    const project = { id: 'shop', name: 'Shop', days: [day], mask: null, zones: [] } as unknown as Project
    // Nothing answers: only the markup is looked at.
    const pending = (): Promise<never> => new Promise(() => {})
    const api = { frame: pending, background: pending, differencePreview: pending } as unknown as AppApi
    return ssr.render(Timeline, { props: { api, project, day, onproject: () => {}, onnext: () => {} } }).body
  }

  it('draws far fewer lines than clips on a day of 510 clips', () => {
    const body = render(dayOfClips(510))
    // Each line between clips, whichever way it is drawn.
    const lines = body.match(/class="(boundary|gap)\b/g)?.length ?? 0
    expect(lines).toBeGreaterThan(0)
    expect(lines).toBeLessThanOrEqual(960 / 8)
  })

  it('draws a break where footage is missing, saying what is missing', () => {
    const body = render(dayOfClips(120, 79, 25))
    expect(body.match(/data-testid="timeline-gap"/g)).toHaveLength(1)
    expect(body).toContain('title="No footage for 25 min (09:20 to 09:45)"')
  })
})
