// The pure parts of the app's back end: ids, the day's timeline, zones, time windows, CSV, the
// mapping of the owner's settings to an analysis job, and the checks on calls.
import { describe, expect, it } from 'vitest'
import type { Clip, Day } from '../../src/shared/project'
import type { Summary } from '../../src/shared/summary'
import { AnalysisJobSchema } from '../../src/shared/worker-protocol'
import { OCCUPANCY_DEFAULTS } from '../../src/shared/settings'
import { decodeNpyArray, encodeNpyArray } from '../../src/main/formats/npy'
import { encodeGrayPng } from '../../src/main/results/png'
import { analysisSettings, jobForDay, jobStart, jobStarts, progressFraction } from '../../src/main/services/analysis-runner'
import { CallRejected, parseCall } from '../../src/main/services/api-dispatch'
import { checkSizes, isVideoName, mergeClips, sortByStart, unreadableClip } from '../../src/main/services/clip-import'
import { compareDayResults } from '../../src/main/services/compare-view'
import { describeWindow, meanInside, rasterizeZone, shareGrid, zoneFigures } from '../../src/main/services/day-results'
import { clockAt, dayTimeline, locate } from '../../src/main/services/day-timeline'
import { gridCsv, zonesCsv } from '../../src/main/services/exports'
import { slugify, uniqueSlug } from '../../src/main/services/projects-store'
import { maskAtGrid, paintDifference } from '../../src/main/services/reference-preview'
import { fitWindowState, parseWindowState } from '../../src/main/services/window-bounds'
import { fakeResult, HALVES } from '../helpers/fake-result'

function clip(name: string, overrides: Partial<Clip> = {}): Clip {
  return {
    path: `/footage/${name}.mp4`, bytes: 1000, width: 640, height: 360, fps: 10, durationSeconds: 60,
    startedAt: '2026-03-09T08:00:00', startSource: 'metadata', problem: null, ...overrides
  }
}

function dayWith(clips: Clip[], overrides: Partial<Day> = {}): Day {
  return {
    id: 'monday', name: 'Monday', clips, reference: { kind: 'auto' }, settings: { speed: 'fast', sensitivity: 'normal' },
    analysis: { status: 'never', fraction: null, message: null, finishedAt: null }, ...overrides
  }
}

describe('ids', () => {
  it.each([
    ['Café Nord', 'cafe-nord'],
    ['  Shop #2 — front door ', 'shop-2-front-door'],
    ['ÅÄÖ', 'aao'],
    ['!!!', 'project'],
    ['日本', 'project'],
    ['a'.repeat(100), 'a'.repeat(56)]
  ])('slugify(%j) = %j', (name, slug) => {
    expect(slugify(name, 'project')).toBe(slug)
    expect(slug).toMatch(/^[a-z0-9][a-z0-9-]{0,63}$/)
  })

  it('numbers slugs that are taken', () => {
    const taken = new Set(['shop', 'shop-2'])
    expect(uniqueSlug('shop', (s) => taken.has(s))).toBe('shop-3')
    expect(uniqueSlug('cafe', (s) => taken.has(s))).toBe('cafe')
  })
})

describe('day timeline', () => {
  const clips = [
    clip('a', { durationSeconds: 60, startedAt: '2026-03-09T08:00:00' }),
    clip('bad', { width: 0, height: 0, durationSeconds: null, startedAt: null, problem: 'not a video' }),
    clip('b', { durationSeconds: 30, startedAt: '2026-03-09T09:00:00' }),
    clip('c', { durationSeconds: 30, startedAt: null, startSource: null })
  ]
  const timeline = dayTimeline(clips)

  it('puts the usable clips end to end', () => {
    expect(timeline.duration).toBe(120)
    expect(timeline.entries.map((e) => [e.clip.path, e.from, e.to])).toEqual([
      ['/footage/a.mp4', 0, 60],
      ['/footage/b.mp4', 60, 90],
      ['/footage/c.mp4', 90, 120]
    ])
  })

  it('maps day seconds to a clip, a time in it and the wall clock', () => {
    expect(locate(timeline, 0, 'Monday')).toMatchObject({ clip: { path: '/footage/a.mp4' }, clipSeconds: 0, clock: '2026-03-09T08:00:00' })
    expect(locate(timeline, 59.5, 'Monday')).toMatchObject({ clipSeconds: 59.5, clock: '2026-03-09T08:00:59' })
    expect(locate(timeline, 60, 'Monday')).toMatchObject({ clip: { path: '/footage/b.mp4' }, clipSeconds: 0, clock: '2026-03-09T09:00:00' })
    expect(locate(timeline, 100, 'Monday')).toMatchObject({ clip: { path: '/footage/c.mp4' }, clipSeconds: 10, clock: null })
  })

  it('maps the very end to the last frame and refuses later moments', () => {
    expect(locate(timeline, 120, 'Monday').clipSeconds).toBeCloseTo(29.9, 6)
    expect(() => locate(timeline, 121, 'Monday')).toThrow('Monday is 120.0 s long, so there is no moment at 121 s.')
    expect(() => locate(dayTimeline([]), 0, 'Tuesday')).toThrow('Tuesday has no usable clips yet; add footage first.')
  })

  it('adds seconds to a clock across midnight', () => {
    expect(clockAt('2026-03-09T23:59:30', 45)).toBe('2026-03-10T00:00:15')
    expect(clockAt(null, 3)).toBeNull()
  })
})

describe('clips of a day', () => {
  it('knows video files by extension', () => {
    for (const name of ['a.mp4', 'B.MKV', 'c.dav', 'd.264', 'e.hevc', 'f.ts', 'g.m4v']) expect(isVideoName(name)).toBe(true)
    for (const name of ['a.txt', 'b.npy', 'mp4', 'c.mp4.part']) expect(isVideoName(name)).toBe(false)
  })

  it('sorts by start, unreadable files last, and flags another camera', () => {
    const merged = mergeClips(
      [clip('late', { startedAt: '2026-03-09T10:00:00' })],
      [unreadableClip('/footage/x.mp4', 0, 'file not found'), clip('early', { startedAt: '2026-03-09T08:00:00' }), clip('small', { width: 320, height: 180, startedAt: '2026-03-09T09:00:00' }), clip('late', { startedAt: '2026-03-09T10:00:00' })]
    )
    expect(merged.map((c) => c.path)).toEqual(['/footage/early.mp4', '/footage/small.mp4', '/footage/late.mp4', '/footage/x.mp4'])
    expect(merged[1].problem).toBe("is 320x180, but most of the day's clips are 640x360 (another camera?), so it is left out")
    expect(merged[3].problem).toBe('file not found')
    // One clip of each size: the first one's size is the day's.
    const reordered = checkSizes(sortByStart([merged[1], merged[0]]).reverse())
    expect(reordered[0].problem).toBeNull()
    expect(reordered[1].problem).toBe("is 640x360, but 1 of the day's 2 clips is 320x180 (another camera?), so it is left out")
  })

  it('lets most of the clips decide the day’s picture size, not a stray first one', () => {
    const wide = { width: 768, height: 432 }
    const clips = mergeClips([], [
      clip('cam2_085900', { width: 640, height: 480, startedAt: '2024-05-03T08:59:00' }),
      ...['090000', '090100', '090200'].map((t) => clip(`cam1_${t}`, { ...wide, startedAt: `2024-05-03T${t.slice(0, 2)}:${t.slice(2, 4)}:00` }))
    ])
    expect(clips.map((c) => c.problem)).toEqual(["is 640x480, but most of the day's clips are 768x432 (another camera?), so it is left out", null, null, null])
    // A tie between two sizes goes to the earlier clip's; unreadable clips count for neither.
    const tie = checkSizes([clip('a', wide), clip('b', { width: 640, height: 480 }), clip('c', { width: 640, height: 480 }), clip('d', wide), unreadableClip('/footage/x.mp4', 0, 'file not found')])
    expect(tie.map((c) => c.problem)).toEqual([null, "is 640x480, but 2 of the day's 4 clips are 768x432 (another camera?), so it is left out", "is 640x480, but 2 of the day's 4 clips are 768x432 (another camera?), so it is left out", null, 'file not found'])
  })
})

describe('analysis job for a day', () => {
  it('maps speed and sensitivity to settings', () => {
    const t = OCCUPANCY_DEFAULTS.threshold
    expect(analysisSettings(dayWith([]))).toMatchObject({ method: 'occupancy', sample: { kind: 'auto' }, width: 640, threshold: t })
    expect(analysisSettings(dayWith([], { settings: { speed: 'detailed', sensitivity: 'low' } }))).toMatchObject({ sample: { kind: 'every', n: 2 }, width: 640, threshold: Math.round(t * 1.5) })
    expect(analysisSettings(dayWith([], { settings: { speed: 'fast', sensitivity: 'high' } })).threshold).toBe(Math.round(t * 0.65))
    // Everything else is the engine's default for the occupancy method.
    expect({ ...analysisSettings(dayWith([])), threshold: 0, sample: null }).toEqual({ ...OCCUPANCY_DEFAULTS, threshold: 0, sample: null })
  })

  it('maps the reference and leaves unusable clips out', () => {
    const clips = [clip('a'), clip('bad', { problem: 'not a video', width: 0, height: 0 }), clip('b', { startedAt: '2026-03-09T08:01:00' })]
    const tools = { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe' }
    const auto = jobForDay(dayWith(clips), { outDir: '/p/days/monday/result', maskPath: null }, tools)
    expect(auto).toMatchObject({ inputs: ['/footage/a.mp4', '/footage/b.mp4'], outDir: '/p/days/monday/result', ffmpegPath: '/usr/bin/ffmpeg', kernel: 'auto' })
    expect(auto.settings.reference).toEqual({ kind: 'auto' })
    expect(auto.settings.mask).toBeUndefined()
    expect(auto.start).toBeUndefined()
    const moment = jobForDay(dayWith(clips, { reference: { kind: 'moment', seconds: 75 } }), { outDir: '/o', maskPath: '/p/mask.png' }, tools)
    expect(moment.settings.reference).toEqual({ kind: 'time', seconds: 75 })
    expect(moment.settings.mask).toBe('/p/mask.png')
    // The end of the day is the last frame of the last clip.
    const end = jobForDay(dayWith(clips, { reference: { kind: 'moment', seconds: 120 } }), { outDir: '/o', maskPath: null }, tools)
    expect(end.settings.reference).toEqual({ kind: 'time', seconds: 119.9 })
    expect(() => jobForDay(dayWith([clips[1]]), { outDir: '/o', maskPath: null }, tools)).toThrow('Monday has no usable clips; add footage before analysing it.')
  })

  it('passes a start only when the engine would not keep our order or clock', () => {
    const a = clip('a', { startedAt: '2026-03-09T08:00:00' })
    const b = clip('b', { startedAt: '2026-03-09T09:00:00' })
    expect(jobStart([a, b])).toBeUndefined()
    expect(jobStart([b, a])).toBe('2026-03-09T09:00:00')
    // Starts the owner set go per clip, not as one start for the whole day.
    expect(jobStart([{ ...a, startSource: 'given', startedAt: '2026-03-09T07:00:00' }, b])).toBeUndefined()
    // File times do not reorder the engine's clips: our order stands without a start.
    expect(jobStart([{ ...b, startSource: 'file time' }, a])).toBeUndefined()
  })

  it('passes the starts the owner set, one per clip, with seconds', () => {
    const a = clip('a', { startedAt: '2026-03-09T08:00:00' })
    const b = clip('b', { startedAt: '2026-03-09T13:30', startSource: 'given' })
    expect(jobStarts([a, clip('c')])).toBeUndefined()
    expect(jobStarts([a, b])).toEqual([null, '2026-03-09T13:30:00'])
    const job = jobForDay(dayWith([a, clip('bad', { problem: 'not a video', width: 0, height: 0 }), b]), { outDir: '/o', maskPath: null }, { ffmpeg: 'f', ffprobe: 'p' })
    // Aligned with the inputs: the unusable clip is not among them.
    expect(job).toMatchObject({ inputs: ['/footage/a.mp4', '/footage/b.mp4'], starts: [null, '2026-03-09T13:30:00'] })
    expect(job.start).toBeUndefined()
    expect(AnalysisJobSchema.safeParse(job).success).toBe(true)
    expect(AnalysisJobSchema.safeParse({ ...job, starts: [null] }).success).toBe(false)
    expect(AnalysisJobSchema.safeParse({ ...job, starts: [null, '13:30'] }).success).toBe(false)
  })

  it('passes the probes kept with the clips, aligned with the inputs, when any clip has one', () => {
    const probe = (name: string) => ({
      path: `/footage/${name}.mp4`, bytes: 1000, width: 640, height: 360, fps: 25, durationSeconds: 60, frameCount: 1500,
      codec: 'h264', startTime: 0, mtimeMs: 1.5e12, keyframeGap: 2
    })
    const a = clip('a', { probe: probe('a') })
    const b = clip('b')
    const tools = { ffmpeg: 'f', ffprobe: 'p' }
    const job = jobForDay(dayWith([a, clip('bad', { problem: 'not a video', width: 0, height: 0 }), b]), { outDir: '/o', maskPath: null }, tools)
    expect(job.probes).toEqual([probe('a'), null])
    expect(AnalysisJobSchema.safeParse(job).success).toBe(true)
    // One per input, each for its own input.
    expect(AnalysisJobSchema.safeParse({ ...job, probes: [probe('a')] }).success).toBe(false)
    expect(AnalysisJobSchema.safeParse({ ...job, probes: [null, probe('a')] }).success).toBe(false)
    expect(AnalysisJobSchema.safeParse({ ...job, probes: [{ ...probe('a'), width: 0 }, null] }).success).toBe(false)
    expect(jobForDay(dayWith([clip('a'), b]), { outDir: '/o', maskPath: null }, tools).probes).toBeUndefined()
  })

  it('turns progress into a fraction', () => {
    expect(progressFraction({ framesDone: 25, framesTotal: 100, fps: 1, etaSeconds: 1, stage: 'accumulating' })).toBe(0.25)
    expect(progressFraction({ framesDone: 0, framesTotal: null, fps: 0, etaSeconds: null, stage: 'probing' })).toBeNull()
    expect(progressFraction({ framesDone: 100, framesTotal: 100, fps: 0, etaSeconds: 0, stage: 'writing' })).toBe(1)
  })
})

describe('time windows', () => {
  it('recomputes the share from the hours inside the window', () => {
    const r = fakeResult()
    expect(Array.from(shareGrid(r, null, 'Monday').values)).toEqual(Array.from(r.heatmap))
    expect(Array.from(shareGrid(r, { fromHour: 8, toHour: 9 }, 'Monday').values)).toEqual([1, 0.5, 0, 0, 1, 0.5, 0, 0])
    expect(Array.from(shareGrid(r, { fromHour: 9, toHour: 24 }, 'Monday').values)).toEqual([0, 0, 1, 0.5, 0, 0, 1, 0.5])
    expect(Array.from(shareGrid(r, { fromHour: 0, toHour: 24 }, 'Monday').values)).toEqual(Array.from(r.heatmap))
  })

  it('says when a window holds no footage, or the result has no hours', () => {
    expect(() => shareGrid(fakeResult(), { fromHour: 13, toHour: 15 }, 'Monday')).toThrow('Monday has no footage between 13:00-15:00.')
    expect(() => shareGrid({ ...fakeResult(), hours: null, summary: { ...fakeResult().summary, settings: { method: 'seed' } } as Summary }, { fromHour: 8, toHour: 9 }, 'Monday')).toThrow(/no hourly data/)
    expect(describeWindow({ fromHour: 0, toHour: 24 })).toBe('00:00-24:00')
  })
})

describe('zones', () => {
  it('rasterizes a polygon by pixel centres', () => {
    // The left half of a 4x2 grid.
    expect(Array.from(rasterizeZone([[0, 0], [0.5, 0], [0.5, 1], [0, 1]], 4, 2))).toEqual([1, 1, 0, 0, 1, 1, 0, 0])
    // A triangle with its right angle at the top left of a 10x10 grid covers about half of it.
    const triangle = rasterizeZone([[0, 0], [1, 0], [0, 1]], 10, 10)
    expect(triangle.reduce((a, b) => a + b, 0)).toBe(45)
    expect(triangle[0]).toBe(1)
    expect(triangle[99]).toBe(0)
    // A zone between pixel centres covers nothing, and so has a share of 0.
    const sliver = rasterizeZone([[0.3, 0.3], [0.32, 0.3], [0.32, 0.32]], 4, 2)
    expect(meanInside(Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1]), sliver)).toBe(0)
  })

  it('handles concave zones (even-odd)', () => {
    // A U shape on a 3x3 grid: the top middle pixel is outside.
    const u = rasterizeZone([[0, 0], [1 / 3, 0], [1 / 3, 2 / 3], [2 / 3, 2 / 3], [2 / 3, 0], [1, 0], [1, 1], [0, 1]], 3, 3)
    expect(Array.from(u)).toEqual([1, 0, 1, 1, 0, 1, 1, 1, 1])
  })

  it('averages the share inside each zone, overall and by hour', () => {
    const r = fakeResult()
    const zones = HALVES
    const figures = zoneFigures(r, shareGrid(r, null, 'Monday'), zones, null)
    expect(figures[0].share).toBeCloseTo((10 + 5) / 2 / 40, 6)
    expect(figures[0].byHour).toEqual([{ hour: '2026-03-09T08:00:00', share: 0.75 }, { hour: '2026-03-09T09:00:00', share: 0 }])
    expect(figures[1].byHour[1].share).toBeCloseTo(0.75, 6)
    const windowed = zoneFigures(r, shareGrid(r, { fromHour: 9, toHour: 10 }, 'Monday'), zones, { fromHour: 9, toHour: 10 })
    expect(windowed[1]).toMatchObject({ zoneId: 'right', share: 0.75, byHour: [{ hour: '2026-03-09T09:00:00', share: 0.75 }] })
  })
})

describe('exports', () => {
  it('writes the grid as a percentage matrix with pixel headers', () => {
    const csv = gridCsv({ width: 3, height: 2, values: Float32Array.from([0, 0.5, 1, 0.12345, Number.NaN, 0.001]) })
    expect(csv).toBe('y\\x,0,1,2\r\n0,0,50,100\r\n1,12.35,,0.1\r\n')
  })

  it('writes zones with one column per hour, quoting names', () => {
    const csv = zonesCsv(
      [{ zoneId: 'a', name: 'Door, "left"', share: 0.25, byHour: [{ hour: '2026-03-09T09:00:00', share: 0.5 }] }],
      ['2026-03-09T08:00:00', '2026-03-09T09:00:00']
    )
    expect(csv).toBe('zone,share (% of time),2026-03-09 08:00,2026-03-09 09:00\r\n"Door, ""left""",25,,50\r\n')
  })

  it('reads back 3-D .npy files', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i / 2)
    const { shape, data: back } = decodeNpyArray(encodeNpyArray([2, 3, 4], data))
    expect(shape).toEqual([2, 3, 4])
    expect(Array.from(back)).toEqual(Array.from(data))
    expect(() => decodeNpyArray(Buffer.from('nope, not numpy'))).toThrow('not a .npy file')
  })
})

describe('compare', () => {
  it('refuses days of different grids with a plain sentence', () => {
    const grid = (w: number, h: number) => ({ width: w, height: h, values: new Float32Array(w * h) })
    const result = { view: { summary: { settings: { method: 'occupancy' } } } } as never
    expect(() => compareDayResults({ name: 'Monday', result, share: grid(4, 2) }, { name: 'Tuesday', result, share: grid(8, 4) })).toThrow(
      'Tuesday was analysed at 8x4 and Monday at 4x2; both days need footage of the same camera and the same speed setting to be compared.'
    )
  })
})

describe('difference preview', () => {
  it('paints changed places red and masked places dark', () => {
    const grid = { width: 8, height: 4 }
    const reference = new Uint8Array(32).fill(100)
    const frame = new Uint8Array(32).fill(100)
    frame[9] = 250
    frame[30] = 250
    const mask = new Uint8Array(32)
    mask[30] = 1
    const rgb = paintDifference(frame, reference, grid, 1, 20, mask)
    const px = (i: number) => Array.from(rgb.subarray(i * 3, i * 3 + 3))
    expect(px(9)[0]).toBeGreaterThan(200)
    expect(px(9)[1]).toBeLessThan(100)
    expect(px(0)).toEqual([85, 85, 85])
    expect(px(30)[0]).toBeLessThan(100)
  })

  it('scales a mask picture to the grid', () => {
    // Left half white (ignore), right half black, 4x2 -> 2x1.
    const mask = maskAtGrid(encodeGrayPng(4, 2, Uint8Array.from([255, 255, 0, 0, 255, 255, 0, 0])), { width: 2, height: 1 })
    expect(Array.from(mask)).toEqual([1, 0])
  })
})

describe('calls from the renderer', () => {
  it('accepts methods of the table with valid arguments', () => {
    expect(parseCall('frame', ['shop', 'monday', 12.5, 320])).toEqual({ method: 'frame', args: ['shop', 'monday', 12.5, 320] })
    expect(parseCall('listProjects', [])).toEqual({ method: 'listProjects', args: [] })
  })

  it.each([
    ['toString', []],
    ['__proto__', []],
    ['constructor', []],
    [42, []],
    [null, []]
  ])('refuses the method %j', (method, args) => {
    expect(() => parseCall(method, args)).toThrow(CallRejected)
  })

  it.each([
    ['frame', ['shop', 'monday', -1, 320]],
    ['frame', ['shop', 'monday', 1, 5000]],
    ['createProject', ['']],
    ['openProject', ['../etc']],
    ['addClips', ['shop', 'monday', []]],
    ['listProjects', ['extra']],
    ['setMask', ['shop', 'data:text/html,<script>']],
    ['dayResult', ['shop', 'monday', { fromHour: 10, toHour: 10 }]],
    ['openProject', 'shop']
  ])('refuses %s with %j', (method, args) => {
    expect(() => parseCall(method, args)).toThrow(/^invalid arguments for /)
  })
})

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1040 }]

  it('keeps a saved place that is on a screen', () => {
    expect(fitWindowState({ x: 100, y: 50, width: 1200, height: 800, maximized: true }, screen)).toEqual({ x: 100, y: 50, width: 1200, height: 800, maximized: true })
  })

  it('drops a place on a screen that is gone, and shrinks to the screen', () => {
    expect(fitWindowState({ x: 2500, y: 50, width: 3000, height: 2000, maximized: false }, screen)).toEqual({ width: 1920, height: 1040, maximized: false })
    expect(fitWindowState(null, screen)).toEqual({ width: 1280, height: 860, maximized: false })
  })

  it('ignores a damaged state file', () => {
    expect(parseWindowState('{"width": -5}')).toBeNull()
    expect(parseWindowState('not json')).toBeNull()
    expect(parseWindowState(null)).toBeNull()
    expect(parseWindowState('{"width": 900, "height": 700}')).toEqual({ width: 900, height: 700, maximized: false })
  })
})
