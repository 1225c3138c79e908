// A start the owner sets for a later clip of a day reaches the engine: that clip's frames are
// counted in the clock hours of the time set, not placed back to back after the clip before it.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { AppEvent } from '../../src/shared/app-api'
import { SummarySchema } from '../../src/shared/summary'
import { nodeWorkerLauncher } from '../../src/main/analysis/host'
import { probeDay, wallClock } from '../../src/main/analysis/day'
import { generateClip, testClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { createAppService, type AppService } from '../../src/main/services/app-service'

const ff = locateFfmpeg()
const execFileAsync = promisify(execFile)
let tmp: string
let service: AppService
const events: AppEvent[] = []
const paths = { named: '', plain: '' }

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'dwellmap-starts-'))
  const footage = join(tmp, 'footage')
  // The first clip's start comes from its NVR-style name (a trusted clock); the second has none.
  const [named, plain] = await Promise.all([
    generateClip(testClip({ name: 'cam1_20260309080000', seconds: 6, seed: 3 }), footage, ff.ffmpeg),
    generateClip(testClip({ name: 'cam1-later', seconds: 6, seed: 4 }), footage, ff.ffmpeg)
  ])
  paths.named = named.videoPath
  paths.plain = plain.videoPath
  service = createAppService({
    projectsRoot: join(tmp, 'projects'), resultsRoot: join(tmp, 'results'), ffmpeg: ff.ffmpeg, ffprobe: ff.ffprobe,
    launchWorker: nodeWorkerLauncher(resolve('src/main/analysis/worker.ts')), emit: (e) => events.push(e)
  })
  await service.ready
})

afterAll(async () => {
  await service?.dispose()
  if (tmp) await rm(tmp, { recursive: true, force: true })
})

function analysisEnd(dayId: string): Promise<AppEvent & { type: 'analysis' }> {
  return new Promise((done, fail) => {
    const started = Date.now()
    const poll = setInterval(() => {
      const e = events.find((x): x is AppEvent & { type: 'analysis' } => x.type === 'analysis' && x.dayId === dayId && x.status !== 'running')
      if (e || Date.now() - started > 120_000) {
        clearInterval(poll)
        if (e) done(e)
        else fail(new Error(`no end of the analysis of ${dayId}`))
      }
    }, 50)
  })
}

it('counts a later clip in the hour the owner set for it', async () => {
  const project = await service.createProject('Starts')
  await service.addDay(project.id, 'Monday')
  await service.addClips(project.id, 'monday', [paths.named, paths.plain])
  const edited = await service.setClipStart(project.id, 'monday', paths.plain, '2026-03-09T11:30')
  const clips = edited.days[0].clips
  expect(clips.map((c) => [c.path, c.startedAt, c.startSource])).toEqual([
    [paths.named, '2026-03-09T08:00:00', 'file name'],
    [paths.plain, '2026-03-09T11:30:00', 'given']
  ])
  await service.setReference(project.id, 'monday', { kind: 'moment', seconds: 1 })
  await service.startAnalysis(project.id, 'monday')
  expect((await analysisEnd('monday')).status).toBe('done')

  const summary = SummarySchema.parse(JSON.parse(await readFile(join(tmp, 'projects', project.id, 'days', 'monday', 'result', 'summary.json'), 'utf8')))
  expect(summary.inputs.map((i) => [i.path, i.startedAt, i.startSource])).toEqual([
    [paths.named, '2026-03-09T08:00:00', 'file name'],
    [paths.plain, '2026-03-09T11:30:00', 'given']
  ])
  const { hours } = summary
  // Back to back, the second clip would have ended at 08:00:12, all in the 08:00 hour.
  expect(hours.map((h) => h.start)).toEqual(['2026-03-09T08:00:00', '2026-03-09T11:00:00'])
  const [first, second] = summary.inputs
  expect(hours[0].framesUsed).toBeGreaterThan(0)
  expect(hours[0].framesUsed).toBeLessThanOrEqual(first.framesSampled)
  expect(hours[1].framesUsed).toBeGreaterThan(0)
  expect(hours[1].framesUsed).toBeLessThanOrEqual(second.framesSampled)

  // The heatmap view can show the owner's hour on its own; hours without footage are refused.
  await expect(service.dayResult(project.id, 'monday', { fromHour: 11, toHour: 12 })).resolves.toMatchObject({ window: { fromHour: 11, toHour: 12 } })
  await expect(service.dayResult(project.id, 'monday', { fromHour: 9, toHour: 11 })).rejects.toThrow(/no footage between/)
})

it('places clips by the starts given to the engine, keeping the order it was given', async () => {
  const signal = new AbortController().signal
  const placed = async (inputs: string[], start: string | undefined, starts?: Array<string | null>) =>
    (await probeDay(ff.ffprobe, inputs, start, signal, starts)).clips.map((c) => [c.path, wallClock(c.start.epochMs), c.start.source])
  // An owner-set start for one clip; the other keeps its own clock.
  expect(await placed([paths.named, paths.plain], undefined, [null, '2026-03-09T11:30'])).toEqual([
    [paths.named, '2026-03-09T08:00:00', 'file name'],
    [paths.plain, '2026-03-09T11:30:00', 'given']
  ])
  // Given starts keep the host's order, even against the clocks.
  expect(await placed([paths.plain, paths.named], undefined, ['2026-03-09T11:30:00', null])).toEqual([
    [paths.plain, '2026-03-09T11:30:00', 'given'],
    [paths.named, '2026-03-09T08:00:00', 'file name']
  ])
  // With a day start, clips go back to back; an owner-set start moves its clip and the next follow it.
  expect(await placed([paths.named, paths.plain], '2026-03-09T07:00:00', ['2026-03-09T10:00:00', null])).toEqual([
    [paths.named, '2026-03-09T10:00:00', 'given'],
    [paths.plain, '2026-03-09T10:00:06', 'given']
  ])
  expect(await placed([paths.named, paths.plain], '2026-03-09T07:00:00')).toEqual([
    [paths.named, '2026-03-09T07:00:00', 'given'],
    [paths.plain, '2026-03-09T07:00:06', 'given']
  ])
})

it('places no clip end to end after one of unknown length (a raw stream): it keeps its own start', async () => {
  const raw = join(tmp, 'cam1-raw.h264')
  await execFileAsync(ff.ffmpeg, ['-v', 'error', '-y', '-i', paths.plain, '-c', 'copy', '-f', 'h264', raw])
  const { clips } = await probeDay(ff.ffprobe, [raw, paths.named], '2026-03-09T07:00:00', new AbortController().signal)
  expect(clips.map((c) => [c.path, c.durationSeconds, wallClock(c.start.epochMs), c.start.source])).toEqual([
    [raw, null, '2026-03-09T07:00:00', 'given'],
    // Back to back it would have started at 07:00:00 too, the raw stream's length being unknown.
    [paths.named, 6, '2026-03-09T08:00:00', 'file name']
  ])
})
