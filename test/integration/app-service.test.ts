// The app's back end end to end, as the GUI drives it: real ffmpeg, the real analysis worker, on
// generated footage of two days in the same shop (the promotion moved from left to right).
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CompareViewSchema, DayResultSchema, type AppEvent, type DayResult } from '../../src/shared/app-api'
import { decodeGridValues } from '../../src/shared/api'
import { ProjectSchema, type Project } from '../../src/shared/project'
import { nodeWorkerLauncher, type WorkerLauncher } from '../../src/main/analysis/host'
import { generateClip, testClip } from '../../src/main/footage'
import { decodeNpy } from '../../src/main/formats/npy'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { probeVideoAndKeyframeGap } from '../../src/main/media/probe'
import { decodePngGray } from '../../src/main/results/png'
import { createAppService, type AppService } from '../../src/main/services/app-service'
import { INTERRUPTED_NOTE } from '../../src/shared/day-notes'
import { silentWorker } from '../helpers/silent-worker'

const ff = locateFfmpeg()
const launchWorker = nodeWorkerLauncher(resolve('src/main/analysis/worker.ts'))

let tmp: string
let projectsRoot: string
let service: AppService
const events: AppEvent[] = []
const clips = { monday: '', tuesday: '', tuesdayDir: '', otherCamera: '', broken: '' }
let projectId: string

function startService(launcher: WorkerLauncher = launchWorker): AppService {
  return createAppService({ projectsRoot, resultsRoot: join(tmp, 'results'), ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe, launchWorker: launcher, emit: (e) => events.push(e) })
}

/** Resolves with the first 'analysis' event of the day that is not 'running', from now on. */
function analysisEnd(dayId: string, from = events.length): Promise<AppEvent & { type: 'analysis' }> {
  return new Promise((done, fail) => {
    const started = Date.now()
    const poll = setInterval(() => {
      const e = events.slice(from).find((x): x is AppEvent & { type: 'analysis' } => x.type === 'analysis' && x.dayId === dayId && x.status !== 'running')
      if (e) {
        clearInterval(poll)
        done(e)
      } else if (Date.now() - started > 120_000) {
        clearInterval(poll)
        fail(new Error(`no end of the analysis of ${dayId}`))
      }
    }, 50)
  })
}

function day(project: Project, dayId: string): Project['days'][number] {
  return project.days.find((d) => d.id === dayId)!
}

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(buf: Buffer): { width: number; height: number } {
  let i = 2
  while (i < buf.length) {
    if (buf[i] !== 0xff) throw new Error('not a JPEG marker')
    const marker = buf[i + 1]
    const length = buf.readUInt16BE(i + 2)
    if (marker >= 0xc0 && marker <= 0xc3) return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) }
    i += 2 + length
  }
  throw new Error('no frame header in the JPEG')
}

function dataUrlBytes(dataUrl: string): Buffer {
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64')
}

/** The largest share of time in a region of the picture (fractions), from the display grid. */
function hottestIn(result: DayResult, [x0, y0, x1, y1]: [number, number, number, number]): number {
  const values = decodeGridValues(result.view.grid)
  const { width, height } = result.view.grid
  let max = 0
  for (let y = Math.floor(y0 * height); y < Math.ceil(y1 * height); y++) {
    for (let x = Math.floor(x0 * width); x < Math.ceil(x1 * width); x++) max = Math.max(max, values[y * width + x])
  }
  return max
}

/** Where visitors stop at the promotion: in front of the left shelf section before, the right one after. */
const LEFT_PROMO: [number, number, number, number] = [0.05, 0.3, 0.3, 0.65]
const RIGHT_PROMO: [number, number, number, number] = [0.72, 0.3, 0.95, 0.5]

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-app-'))
  projectsRoot = join(tmp, 'projects')
  const footage = join(tmp, 'footage')
  clips.tuesdayDir = join(tmp, 'tuesday-folder')
  const [mon, tue, other] = await Promise.all([
    generateClip(testClip({ name: 'monday', seconds: 24, layout: 'before', seed: 11 }), footage, ff.ffmpeg),
    generateClip(testClip({ name: 'tuesday', seconds: 24, layout: 'after', seed: 12 }), clips.tuesdayDir, ff.ffmpeg),
    generateClip(testClip({ name: 'other-camera', seconds: 2, width: 160, height: 90 }), footage, ff.ffmpeg)
  ])
  clips.monday = mon.videoPath
  clips.tuesday = tue.videoPath
  clips.otherCamera = other.videoPath
  clips.broken = join(footage, 'broken.mp4')
  await writeFile(clips.broken, 'this is not a video')
  // The ground truth and a hidden file sit in the folder too: only the video is added.
  await writeFile(join(clips.tuesdayDir, '.hidden.mp4'), 'x')
  service = startService()
  await service.ready
})

afterAll(async () => {
  await service?.dispose()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

/** Polls until `check` holds (at most 20 s): processes start and end on their own time. */
async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50))
}

describe('projects and days', () => {
  it('creates projects with unique slug ids and lists them as recently opened', async () => {
    const project = await service.createProject('Café Nord')
    expect(project.id).toBe('cafe-nord')
    projectId = project.id
    const twin = await service.createProject('Café  Nord!')
    expect(twin.id).toBe('cafe-nord-2')
    const list = await service.listProjects()
    expect(list.map((p) => p.id).sort()).toEqual(['cafe-nord', 'cafe-nord-2'])
    expect(list.every((p) => p.openedAt !== null)).toBe(true)
    await service.openProject('cafe-nord')
    expect((await service.listProjects())[0].id).toBe('cafe-nord')
    const onDisk = ProjectSchema.parse(JSON.parse(await readFile(join(projectsRoot, 'cafe-nord', 'project.json'), 'utf8')))
    expect(onDisk.name).toBe('Café Nord')
  })

  it('adds, renames and removes days with plain errors', async () => {
    await service.addDay(projectId, 'Monday')
    await service.addDay(projectId, 'Tuesday')
    let project = await service.addDay(projectId, 'Monday')
    expect(project.days.map((d) => d.id)).toEqual(['monday', 'tuesday', 'monday-2'])
    project = await service.renameDay(projectId, 'monday-2', 'Spare day')
    expect(day(project, 'monday-2').name).toBe('Spare day')
    project = await service.removeDay(projectId, 'monday-2')
    expect(project.days.map((d) => d.id)).toEqual(['monday', 'tuesday'])
    await expect(service.renameDay(projectId, 'sunday', 'x')).rejects.toThrow('Project "Café Nord" has no day "sunday".')
    await expect(service.openProject('nope')).rejects.toThrow(/There is no project "nope"/)
  })

  it('adds clips: bad files and another camera are listed with their problem, duplicates ignored', async () => {
    let project = await service.addClips(projectId, 'monday', [clips.monday, clips.broken, clips.otherCamera])
    const monday = day(project, 'monday')
    expect(monday.clips).toHaveLength(3)
    const good = monday.clips.find((c) => c.path === clips.monday)!
    expect(good).toMatchObject({ width: 320, height: 180, problem: null, fps: 10 })
    // The whole probe is kept with the clip, so that the analysis need not probe it again.
    const { info, keyframeGap } = await probeVideoAndKeyframeGap(ff.ffprobe, clips.monday)
    expect(good.probe).toEqual({ ...info, keyframeGap })
    expect(monday.clips.find((c) => c.path === clips.broken)!.probe).toBeUndefined()
    expect(good.durationSeconds).toBeCloseTo(24, 0)
    expect(monday.clips.find((c) => c.path === clips.broken)!.problem).toMatch(/not a video/)
    expect(monday.clips.find((c) => c.path === clips.otherCamera)!.problem).toMatch(/is 160x90, but 1 of the day's 2 clips is 320x180 \(another camera\?\)/)
    project = await service.addClips(projectId, 'monday', [clips.monday])
    expect(day(project, 'monday').clips).toHaveLength(3)
    project = await service.removeClip(projectId, 'monday', clips.otherCamera)
    expect(day(project, 'monday').clips).toHaveLength(2)
    await expect(service.removeClip(projectId, 'monday', '/no/such.mp4')).rejects.toThrow('/no/such.mp4 is not a clip of Monday.')
  })

  it('adds every video of a folder', async () => {
    const project = await service.addClips(projectId, 'tuesday', [clips.tuesdayDir])
    expect(day(project, 'tuesday').clips.map((c) => c.path)).toEqual([clips.tuesday])
    const empty = join(tmp, 'empty-folder')
    await mkdir(empty)
    await expect(service.addClips(projectId, 'tuesday', [empty])).rejects.toThrow(/holds no video files/)
  })

  it('sets a clip start, which puts the clock on the timeline', async () => {
    // 08:59:50 + 24 s spans two clock hours: the time-window tests need that.
    const project = await service.setClipStart(projectId, 'monday', clips.monday, '2026-03-09T08:59:50')
    const clip = day(project, 'monday').clips[0]
    expect(clip).toMatchObject({ startedAt: '2026-03-09T08:59:50', startSource: 'given' })
    await service.setClipStart(projectId, 'tuesday', clips.tuesday, '2026-03-10T08:59:50')
  })
})

describe('timeline and reference', () => {
  it('returns a JPEG preview of the asked width at a moment of the day', async () => {
    const view = await service.frame(projectId, 'monday', 5.5, 200)
    expect(view.dataUrl).toMatch(/^data:image\/jpeg;base64,/)
    expect(jpegSize(dataUrlBytes(view.dataUrl))).toEqual({ width: 200, height: 112 })
    expect(view).toMatchObject({ seconds: 5.5, clipPath: clips.monday, clipSeconds: 5.5, clock: '2026-03-09T08:59:55' })
    await expect(service.frame(projectId, 'monday', 90, 200)).rejects.toThrow('Monday is 24.0 s long, so there is no moment at 90 s.')
  })

  it('gets the previews of a day ready before the first is asked for', async () => {
    // The waiting ffmpeg processes of this width, by their filter (other widths come and go).
    const waiting = (): number => {
      try {
        return execFileSync('pgrep', ['-f', 'ffmpeg.*scale=336:-2']).toString().trim().split('\n').length
      } catch {
        return 0
      }
    }
    expect(waiting()).toBe(0)
    expect(await service.prepareFrames(projectId, 'monday', 336)).toBeNull()
    await waitFor(() => waiting() === 1)
    expect(waiting()).toBe(1)
    // The first preview takes it (nothing is started beside it), and one more waits after it.
    const view = await service.frame(projectId, 'monday', 7.5, 336)
    expect(view.dataUrl).toMatch(/^data:image\/jpeg;base64,/)
    expect(waiting()).toBe(1)
    // Two at once: one waiting process serves one, the other goes the ordinary way, and the
    // width grows to two waiting processes.
    await Promise.all([service.frame(projectId, 'monday', 9.5, 336), service.frame(projectId, 'tuesday', 3.5, 336)])
    await waitFor(() => waiting() === 2)
    expect(waiting()).toBe(2)
    await expect(service.prepareFrames(projectId, 'no-such-day', 336)).rejects.toThrow()
  })

  it('lets a newer request of the same view supersede a stale one', async () => {
    const stale = service.frame(projectId, 'monday', 1, 240)
    const fresh = service.frame(projectId, 'monday', 2, 240)
    await expect(stale).rejects.toThrow(/replaced by a newer one/)
    expect((await fresh).seconds).toBe(2)
    // Another width is another view: both arrive.
    const [a, b] = await Promise.all([service.frame(projectId, 'monday', 3, 128), service.frame(projectId, 'monday', 3, 256)])
    expect(jpegSize(dataUrlBytes(a.dataUrl)).width).toBe(128)
    expect(jpegSize(dataUrlBytes(b.dataUrl)).width).toBe(256)
  })

  it('sets a moment as reference, refusing one after the end of the day', async () => {
    const project = await service.setReference(projectId, 'monday', { kind: 'moment', seconds: 1 })
    expect(day(project, 'monday').reference).toEqual({ kind: 'moment', seconds: 1 })
    await expect(service.setReference(projectId, 'monday', { kind: 'moment', seconds: 400 })).rejects.toThrow(/Monday is 24.0 s long/)
  })

  it('paints what would count as people on a frame', async () => {
    // 1 s is empty (emptyFirstSeconds = 3); at 12 s people are in the shop.
    const view = await service.differencePreview(projectId, 'monday', 12)
    const png = PNG.sync.read(dataUrlBytes(view.dataUrl))
    expect([png.width, png.height]).toEqual([320, 180])
    let red = 0
    for (let i = 0; i < png.width * png.height; i++) if (png.data[i * 4] > 150 && png.data[i * 4 + 1] < 100) red++
    expect(red).toBeGreaterThan(50)
    const empty = PNG.sync.read(dataUrlBytes((await service.differencePreview(projectId, 'monday', 1.1)).dataUrl))
    let redEmpty = 0
    for (let i = 0; i < empty.width * empty.height; i++) if (empty.data[i * 4] > 150 && empty.data[i * 4 + 1] < 100) redEmpty++
    expect(redEmpty).toBeLessThan(red / 5)
  })

  it('builds the automatic background and uses it as the reference', async () => {
    const bg = await service.background(projectId, 'monday')
    const png = PNG.sync.read(dataUrlBytes(bg.dataUrl))
    expect([png.width, png.height]).toEqual([320, 180])
    const project = await service.setReference(projectId, 'monday', { kind: 'auto' })
    expect(day(project, 'monday').reference).toEqual({ kind: 'auto' })
  })

  it('removes a day while its empty scene is being built: the build ends cleanly and leaves no folder behind', async () => {
    await service.addDay(projectId, 'Scratch')
    await service.addClips(projectId, 'scratch', [clips.monday])
    const building = service.background(projectId, 'scratch')
    await service.removeDay(projectId, 'scratch')
    await expect(building).resolves.toMatchObject({ dataUrl: expect.stringMatching(/^data:image\/png;base64,/) })
    expect(existsSync(join(projectsRoot, projectId, 'days', 'scratch'))).toBe(false)
  })
})

describe('analysis', () => {
  it('can be cancelled', async () => {
    const from = events.length
    const started = await service.startAnalysis(projectId, 'tuesday')
    expect(day(started, 'tuesday').analysis.status).toBe('running')
    const project = await service.cancelAnalysis(projectId, 'tuesday')
    expect(day(project, 'tuesday').analysis.status).toBe('cancelled')
    expect((await analysisEnd('tuesday', from)).status).toBe('cancelled')
  })

  it('runs with progress events and finds the hot spot at the promotion', async () => {
    const from = events.length
    await service.startAnalysis(projectId, 'monday')
    // Starting twice is harmless: one analysis per day.
    await service.startAnalysis(projectId, 'monday')
    await expect(service.addClips(projectId, 'monday', [clips.tuesday])).rejects.toThrow('Monday is being analysed; cancel the analysis before adding footage.')
    const end = await analysisEnd('monday', from)
    expect(end).toMatchObject({ status: 'done', message: null })
    const progress = events.slice(from).filter((e) => e.type === 'progress' && e.dayId === 'monday')
    expect(progress.length).toBeGreaterThan(1)
    expect(events.slice(from).filter((e) => e.type === 'analysis' && e.dayId === 'monday' && e.status === 'running')).toHaveLength(1)
    const project = await service.openProject(projectId)
    expect(day(project, 'monday').analysis).toMatchObject({ status: 'done', fraction: 1, message: null })
    expect(day(project, 'monday').analysis.finishedAt).not.toBeNull()

    const result = DayResultSchema.parse(await service.dayResult(projectId, 'monday', null))
    expect(result.view.summary.grid).toEqual({ width: 320, height: 180 })
    // The empty scene the owner was shown before the run is the one the analysis used.
    const shown = decodePngGray(dataUrlBytes((await service.background(projectId, 'monday')).dataUrl))
    const used = decodePngGray(await readFile(join(projectsRoot, projectId, 'days', 'monday', 'result', 'background.png')))
    expect(Buffer.from(shown.gray).equals(Buffer.from(used.gray))).toBe(true)
    expect(result.hours.map((h) => h.start)).toEqual(['2026-03-09T08:00:00', '2026-03-09T09:00:00'])
    // The promotion shelf of the 'before' layout is on the left (x 0.17): a hot spot there.
    expect(hottestIn(result, LEFT_PROMO)).toBeGreaterThan(0.3)
    expect(hottestIn(result, LEFT_PROMO)).toBeGreaterThan(2 * hottestIn(result, RIGHT_PROMO))

    // Tuesday starts empty too: its first second is a quicker reference than the built one.
    await service.setReference(projectId, 'tuesday', { kind: 'moment', seconds: 1 })
    const tuesdayEnd = analysisEnd('tuesday')
    await service.startAnalysis(projectId, 'tuesday')
    expect((await tuesdayEnd).status).toBe('done')
    const tuesday = await service.dayResult(projectId, 'tuesday', null)
    expect(hottestIn(tuesday, RIGHT_PROMO)).toBeGreaterThan(0.3)
    expect(hottestIn(tuesday, RIGHT_PROMO)).toBeGreaterThan(2 * hottestIn(tuesday, LEFT_PROMO))
  })

  it('recomputes the share for a time window from the hourly counts', async () => {
    const whole = await service.dayResult(projectId, 'monday', null)
    const eight = await service.dayResult(projectId, 'monday', { fromHour: 8, toHour: 9 })
    const nine = await service.dayResult(projectId, 'monday', { fromHour: 9, toHour: 10 })
    const both = await service.dayResult(projectId, 'monday', { fromHour: 0, toHour: 24 })
    expect(eight.window).toEqual({ fromHour: 8, toHour: 9 })
    const [f8, f9] = whole.hours.map((h) => h.framesUsed)
    const w = decodeGridValues(whole.view.grid)
    const a = decodeGridValues(eight.view.grid)
    const b = decodeGridValues(nine.view.grid)
    const all = decodeGridValues(both.view.grid)
    let differs = 0
    for (let i = 0; i < w.length; i++) {
      // The day is the frame-weighted mix of its hours.
      expect((a[i] * f8 + b[i] * f9) / (f8 + f9)).toBeCloseTo(w[i], 5)
      expect(all[i]).toBeCloseTo(w[i], 5)
      if (Math.abs(a[i] - b[i]) > 0.01) differs++
    }
    expect(differs).toBeGreaterThan(0)
    await expect(service.dayResult(projectId, 'monday', { fromHour: 12, toHour: 14 })).rejects.toThrow('Monday has no footage between 12:00-14:00.')
  })

  it('gives each area its share of time, by hour too, and compares the days', async () => {
    const project = await service.setZones(projectId, [
      { id: 'left-promo', name: 'Left shelf', points: [[0.05, 0.3], [0.3, 0.3], [0.3, 0.65], [0.05, 0.65]] },
      { id: 'right-promo', name: 'Right shelf', points: [[0.75, 0.3], [0.95, 0.3], [0.95, 0.6], [0.75, 0.6]] }
    ])
    expect(project.zones).toHaveLength(2)
    const monday = await service.dayResult(projectId, 'monday', null)
    const [left, right] = monday.zones
    expect(left).toMatchObject({ zoneId: 'left-promo', name: 'Left shelf' })
    expect(left.share).toBeGreaterThan(right.share)
    expect(left.byHour.map((h) => h.hour)).toEqual(['2026-03-09T08:00:00', '2026-03-09T09:00:00'])
    const windowed = await service.dayResult(projectId, 'monday', { fromHour: 9, toHour: 10 })
    expect(windowed.zones[0].byHour.map((h) => h.hour)).toEqual(['2026-03-09T09:00:00'])
    expect(windowed.zones[0].share).toBeCloseTo(windowed.zones[0].byHour[0].share, 5)

    const compare = CompareViewSchema.parse(await service.compareDays(projectId, 'monday', 'tuesday', null))
    expect(compare.difference.width).toBe(compare.a.view.grid.width)
    const diff = decodeGridValues(compare.difference)
    const a = decodeGridValues(compare.a.view.grid)
    const b = decodeGridValues(compare.b.view.grid)
    for (let i = 0; i < diff.length; i += 97) expect(diff[i]).toBeCloseTo(b[i] - a[i], 5)
    expect(compare.sharedMax).toBeCloseTo(Math.max(...a, ...b), 6)
    const zone = (id: string) => compare.zones.find((z) => z.zoneId === id)!
    expect(zone('left-promo').change).toBeLessThan(0)
    expect(zone('right-promo').change).toBeGreaterThan(0)
    expect(zone('left-promo').change).toBeCloseTo(zone('left-promo').b - zone('left-promo').a, 9)
  })

  it('exports every kind of file', async () => {
    const png = await service.exportFile(projectId, 'monday', 'heatmap-png', null)
    expect(png).toMatchObject({ fileName: 'cafe-nord-monday-heatmap.png', mime: 'image/png' })
    expect(Buffer.from(png.base64, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG')

    const grid = Buffer.from((await service.exportFile(projectId, 'monday', 'grid-csv', null)).base64, 'base64').toString('utf8')
    const rows = grid.trimEnd().split('\r\n')
    expect(rows).toHaveLength(181)
    expect(rows[0].split(',')).toHaveLength(321)
    expect(rows[0].startsWith('y\\x,0,1,2')).toBe(true)
    const values = rows.slice(1).flatMap((r) => r.split(',').slice(1).map(Number))
    expect(Math.max(...values)).toBeGreaterThan(10)
    expect(Math.max(...values)).toBeLessThanOrEqual(100)

    const zones = Buffer.from((await service.exportFile(projectId, 'monday', 'zones-csv', null)).base64, 'base64').toString('utf8').trimEnd().split('\r\n')
    expect(zones[0]).toBe('zone,share (% of time),2026-03-09 08:00,2026-03-09 09:00')
    expect(zones[1]).toMatch(/^Left shelf,[\d.]+,[\d.]+,[\d.]+$/)

    const npy = decodeNpy(Buffer.from((await service.exportFile(projectId, 'monday', 'heatmap-npy', null)).base64, 'base64'))
    expect([npy.width, npy.height]).toEqual([320, 180])

    // With a time window: the values and areas of those hours, the hourly counts over their frames.
    const nine = await service.exportFile(projectId, 'monday', 'grid-csv', { fromHour: 9, toHour: 10 })
    expect(nine.fileName).toBe('cafe-nord-monday-09-10h-heatmap.csv')
    const nineView = decodeGridValues((await service.dayResult(projectId, 'monday', { fromHour: 9, toHour: 10 })).view.grid)
    const nineValues = Buffer.from(nine.base64, 'base64').toString('utf8').trimEnd().split('\r\n').slice(1).flatMap((r) => r.split(',').slice(1).map(Number))
    expect(nineValues).not.toEqual(values)
    // The view's grid is the same share at display size: their hottest places agree.
    expect(Math.max(...nineValues) / 100).toBeCloseTo(Math.max(...nineView), 1)
    const nineNpy = decodeNpy(Buffer.from((await service.exportFile(projectId, 'monday', 'heatmap-npy', { fromHour: 9, toHour: 10 })).base64, 'base64'))
    for (let i = 0; i < nineNpy.data.length; i += 101) expect(nineNpy.data[i] * 100).toBeCloseTo(nineValues[i], 1)
    const nineZones = Buffer.from((await service.exportFile(projectId, 'monday', 'zones-csv', { fromHour: 9, toHour: 10 })).base64, 'base64').toString('utf8').trimEnd().split('\r\n')
    expect(nineZones[0]).toBe('zone,share (% of time),2026-03-09 09:00')

    const report = await service.exportFile(projectId, 'monday', 'report-html', null)
    expect(report.mime).toBe('text/html')
    expect(Buffer.from(report.base64, 'base64').toString('utf8')).toContain('<!doctype html>')
    await service.addDay(projectId, 'Wednesday')
    await expect(service.exportFile(projectId, 'wednesday', 'heatmap-png', null)).rejects.toThrow('Wednesday has no heatmap.png yet; analyse the day first.')
    await expect(service.dayResult(projectId, 'wednesday', null)).rejects.toThrow('Wednesday has not been analysed yet.')
    await expect(service.startAnalysis(projectId, 'wednesday')).rejects.toThrow('Wednesday has no usable clips; add footage before analysing it.')
  })

  it('marks a finished result as out of date when the day changes', async () => {
    // The same settings again change nothing.
    let project = await service.setDaySettings(projectId, 'tuesday', { speed: 'fast', sensitivity: 'normal' })
    expect(day(project, 'tuesday').analysis.message).toBeNull()
    project = await service.setDaySettings(projectId, 'tuesday', { speed: 'fast', sensitivity: 'high' })
    expect(day(project, 'tuesday').analysis).toMatchObject({ status: 'done', message: expect.stringMatching(/changed after this analysis/) })
  })

  it('keeps the painted mask, refusing pictures that are not PNG', async () => {
    const png = new PNG({ width: 32, height: 18 })
    png.data.fill(0)
    const mask = `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`
    const project = await service.setMask(projectId, mask)
    expect(project.mask).toBe(mask)
    expect(day(project, 'monday').analysis.message).toMatch(/mask changed after this analysis/)
    await expect(service.setMask(projectId, 'data:image/png;base64,AAAA')).rejects.toThrow('The mask is not a PNG image that can be read.')
    // A small file whose header claims a huge picture is refused by its size, said as such.
    const huge = PNG.sync.write(png)
    huge.writeUInt32BE(12000, 16)
    huge.writeUInt32BE(12000, 20)
    await expect(service.setMask(projectId, `data:image/png;base64,${huge.toString('base64')}`)).rejects.toThrow('The mask cannot be used: the image is 12000x12000 pixels, larger than Dwellmap reads')
  })
})

describe('a closed app', () => {
  it('leaves running days interrupted, and they can be started again', async () => {
    // The analysis stays 'running' in project.json, as when the app is killed mid-run.
    const silent = silentWorker
    const crashed = startService(silent)
    await crashed.startAnalysis(projectId, 'monday')
    expect(day(await crashed.openProject(projectId), 'monday').analysis.status).toBe('running')
    const restarted = startService()
    const project = await restarted.openProject(projectId)
    expect(day(project, 'monday').analysis).toMatchObject({ status: 'interrupted', message: INTERRUPTED_NOTE })
    expect(day(project, 'tuesday').analysis.status).toBe('done')
    // (The crashed app is gone: stop its fake worker before going on.)
    await crashed.dispose()
    await restarted.setReference(projectId, 'monday', { kind: 'moment', seconds: 1 })
    const from = events.length
    await restarted.startAnalysis(projectId, 'monday')
    expect((await analysisEnd('monday', from)).status).toBe('done')
    await restarted.dispose()
  })

  it('saves analyses stopped by closing the app as interrupted', async () => {
    const closing = startService()
    await closing.startAnalysis(projectId, 'tuesday')
    await closing.dispose()
    const project = await service.openProject(projectId)
    expect(day(project, 'tuesday').analysis).toMatchObject({ status: 'interrupted', message: INTERRUPTED_NOTE })
    // The mask went to the project folder for the worker to read.
    expect((await readFile(join(projectsRoot, projectId, 'mask.png'))).subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})
