// End to end: the whole setup flow in Chromium through the browser host, on the built code. A new
// owner creates a project, adds two days of footage with the file picker, scrubs a day's timeline
// with the keyboard and the mouse, picks the empty scene, starts the analysis, cancels it, runs it
// again to the end, and sees the day's results. Throughout: no console errors, no CSP violations,
// no request leaving 127.0.0.1. Screenshots of each main view go to test-output/screenshots/.
// Needs `npx electron-vite build` first (out/renderer, out/main/worker.js).
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_DAYS, generateClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import type { AppHost } from '../../src/main/web/app-host'
import { closeAppSession, cspViolations, openAppSession, screenshot, type PageLog } from './helpers'

const CLIP_SECONDS = 30
const FPS = DEMO_DAYS[0].fps

/** Records every progress line the page shows (in the page: a short demo day runs in seconds). */
const RECORD_PROGRESS = `
  window.__progressTexts = [];
  new MutationObserver(() => {
    const text = document.querySelector('[data-testid="progress-text"]')?.textContent?.replace(/\\s+/g, ' ').trim();
    const seen = window.__progressTexts;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
`

describe('setting up and analysing a day in Chromium via the browser host', () => {
  let root: string
  let footage: string
  let host: AppHost
  let browser: Browser
  let page: Page
  let log: PageLog

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-flow-'))
    ;({ host, browser, page, log } = await openAppSession(root))
    footage = join(root, 'footage')
    const { ffmpeg } = locateFfmpeg(process.env.FFMPEG_PATH)
    // Two short demo days, each in its own folder as a recorder export would be.
    await Promise.all(DEMO_DAYS.slice(0, 2).map((spec, i) => generateClip({ ...spec, seconds: CLIP_SECONDS }, join(footage, `day${i + 1}`), ffmpeg)))
    // And a file that only looks like a video.
    await mkdir(join(footage, 'broken'))
    await writeFile(join(footage, 'broken', 'camera-7.mp4'), 'this is not a video\n')
  })

  afterAll(() => closeAppSession({ host, browser }, root))

  const byTestId = (id: string) => page.getByTestId(id)

  async function addFootage(folder: string, how: 'pick-file' | 'whole-folder'): Promise<void> {
    await byTestId('add-footage').click()
    const picker = byTestId('file-picker')
    await picker.waitFor()
    // It opens where it was last time (or in the home folder); then we type the folder's path.
    await expect.poll(() => byTestId('picker-folder').inputValue()).not.toBe('')
    await byTestId('picker-folder').fill(folder)
    await byTestId('picker-go').click()
    await expect.poll(() => byTestId('picker-entries').getAttribute('data-dir')).toBe(folder)
    await byTestId('picker-video').first().waitFor()
    if (how === 'pick-file') {
      await byTestId('picker-video').first().check()
      await byTestId('picker-add-selected').click()
    } else {
      await byTestId('picker-add-folder').click()
    }
    await picker.waitFor({ state: 'hidden' })
  }

  async function sliderValue(): Promise<number> {
    return Number(await byTestId('timeline').getAttribute('aria-valuenow'))
  }

  /** Clicks the timeline at a fraction of its width (measured now: the page may have scrolled). */
  async function clickTimelineAt(fraction: number): Promise<void> {
    const timeline = byTestId('timeline')
    await timeline.scrollIntoViewIfNeeded()
    const box = await timeline.boundingBox()
    if (!box) throw new Error('the timeline has no size')
    await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2)
  }

  /** The large preview shows the frame at the handle (the newest request wins). */
  async function previewFollowsHandle(): Promise<void> {
    const wanted = await sliderValue()
    await expect.poll(async () => Number(await byTestId('preview').getAttribute('data-seconds')), { timeout: 20_000 }).toBeCloseTo(wanted, 2)
  }

  it('creates a project with two days of footage picked with the file picker', async () => {
    await page.goto(host.url)
    await byTestId('projects-empty').waitFor()
    expect(await byTestId('projects-empty').textContent()).toContain('No projects yet')
    // The token is taken out of the address bar as soon as the app starts.
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`)

    await byTestId('new-project-name').fill('Corner shop')
    await byTestId('create-project').click()
    await expect.poll(() => byTestId('project-name').textContent()).toBe('Corner shop')
    await byTestId('days-empty').waitFor()

    // Day 1: one file ticked in the picker.
    await byTestId('new-day-name').fill('Before the move')
    await byTestId('add-day').click()
    await expect.poll(() => byTestId('day-heading').textContent()).toBe('Before the move')
    await addFootage(join(footage, 'day1'), 'pick-file')
    await expect.poll(() => byTestId('clip-row').count(), { timeout: 30_000 }).toBe(1)
    expect(await byTestId('clip-row').first().textContent()).toContain('day1-before.mp4')
    expect(await byTestId('clip-problem').count()).toBe(0)

    // Day 2: its whole folder; then renamed.
    await byTestId('new-day-name').fill('After')
    await byTestId('add-day').click()
    await expect.poll(() => byTestId('day-heading').textContent()).toBe('After')
    await addFootage(join(footage, 'day2'), 'whole-folder')
    await expect.poll(() => byTestId('clip-row').count(), { timeout: 30_000 }).toBe(1)
    expect(await byTestId('clip-row').first().textContent()).toContain('day2-after.mp4')
    await byTestId('rename-day').click()
    await byTestId('rename-input').fill('After the move')
    await byTestId('rename-input').press('Enter')
    await expect.poll(() => byTestId('day-heading').textContent()).toBe('After the move')

    // A file that is not a video: listed in red with what to do, and removed again.
    await addFootage(join(footage, 'broken'), 'whole-folder')
    await expect.poll(() => byTestId('clip-row').count(), { timeout: 30_000 }).toBe(2)
    const problem = byTestId('clip-problem')
    await problem.waitFor()
    expect(await problem.textContent()).toMatch(/Can’t be used: .+\. \S/)
    expect(await page.locator('[data-clip-path$="camera-7.mp4"]').getAttribute('class')).toContain('bad')
    await screenshot(page, 'day-clips-problem')
    await page.getByRole('button', { name: 'Remove camera-7.mp4 from this day' }).click()
    await expect.poll(() => byTestId('clip-row').count()).toBe(1)

    // A third day, added by mistake, is removed again.
    await byTestId('new-day-name').fill('Spare')
    await byTestId('add-day').click()
    await expect.poll(() => byTestId('day-item').count()).toBe(3)
    await byTestId('remove-day').click()
    await byTestId('confirm-remove-day').click()
    await expect.poll(() => byTestId('day-item').count()).toBe(2)

    await page.locator('[data-testid="day-item"]', { hasText: 'Before the move' }).click()
    await expect.poll(() => byTestId('clips-overview').textContent()).toContain('1 of 1 clip usable')
    await screenshot(page, 'day-clips')
  })

  it('scrubs the timeline with the keyboard and the mouse, and picks the empty scene', async () => {
    await byTestId('to-scene').click()
    const timeline = byTestId('timeline')
    await timeline.waitFor()
    await byTestId('preview').waitFor({ timeout: 30_000 })
    expect(await sliderValue()).toBe(0)
    expect(Number(await timeline.getAttribute('aria-valuemax'))).toBeCloseTo(CLIP_SECONDS, 1)
    expect(await byTestId('clip-name').textContent()).toContain('day1-before.mp4')

    // Keyboard: one frame, one minute (clamped to the end of this short day), Home, End.
    await timeline.focus()
    await page.keyboard.press('ArrowRight')
    expect(await sliderValue()).toBeCloseTo(1 / FPS, 6)
    await previewFollowsHandle()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowLeft')
    expect(await sliderValue()).toBeCloseTo(2 / FPS, 6)
    await page.keyboard.press('Shift+ArrowRight')
    expect(await sliderValue()).toBeCloseTo(CLIP_SECONDS - 1 / FPS, 6)
    await page.keyboard.press('Home')
    expect(await sliderValue()).toBe(0)
    await page.keyboard.press('End')
    expect(await sliderValue()).toBeCloseTo(CLIP_SECONDS - 1 / FPS, 6)
    await previewFollowsHandle()

    // Mouse: a click in the middle of the strip goes to the middle of the day.
    await clickTimelineAt(0.5)
    expect(Math.abs((await sliderValue()) - CLIP_SECONDS / 2)).toBeLessThan(0.5)
    await previewFollowsHandle()
    const box = await timeline.boundingBox()
    if (!box) throw new Error('the timeline has no size')
    // Dragging: the preview catches up with where the handle was let go.
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2)
    await page.mouse.down()
    for (let step = 5; step <= 14; step++) await page.mouse.move(box.x + box.width * (step / 20), box.y + box.height / 2)
    await page.mouse.up()
    expect(Math.abs((await sliderValue()) - CLIP_SECONDS * 0.7)).toBeLessThan(0.5)
    await previewFollowsHandle()

    // The thumbnail strip fills in.
    await expect.poll(() => page.locator('[data-testid="thumb"]').count(), { timeout: 30_000 }).toBe(12)
    expect(await byTestId('clock').textContent()).toMatch(/^\d{1,2}:\d{2}(:\d{2}|\.\d{2})/)

    // The demo footage is empty for its first seconds: the very first frame is the empty scene.
    await timeline.focus()
    await page.keyboard.press('Home')
    await previewFollowsHandle()
    await byTestId('use-frame').click()
    await expect.poll(() => byTestId('reference-text').textContent()).toContain('The frame at')
    await byTestId('reference-image').waitFor({ timeout: 30_000 })

    // What counts as people in the middle of the day, against that empty scene; then back.
    await clickTimelineAt(0.5)
    expect(Math.abs((await sliderValue()) - CLIP_SECONDS / 2)).toBeLessThan(0.5)
    await byTestId('show-difference').check()
    await expect.poll(() => byTestId('preview').getAttribute('data-kind'), { timeout: 60_000 }).toBe('difference')
    await previewFollowsHandle()
    await screenshot(page, 'timeline-difference')
    await byTestId('show-difference').uncheck()
    await expect.poll(() => byTestId('preview').getAttribute('data-kind'), { timeout: 30_000 }).toBe('frame')
    await previewFollowsHandle()
    await screenshot(page, 'timeline')
  })

  it('runs the analysis, cancels it, runs it again to the end and shows the results', async () => {
    await byTestId('to-analyse').click()
    await byTestId('run-panel').waitFor()
    // Paint out a strip along the top of the picture (the lights) and save it as the mask.
    await byTestId('toggle-mask').click()
    const canvas = byTestId('mask-canvas')
    await canvas.waitFor({ timeout: 30_000 })
    const area = await canvas.boundingBox()
    if (!area) throw new Error('the mask canvas has no size')
    await page.mouse.move(area.x + area.width * 0.1, area.y + area.height * 0.05)
    await page.mouse.down()
    await page.mouse.move(area.x + area.width * 0.5, area.y + area.height * 0.05, { steps: 5 })
    await page.mouse.move(area.x + area.width * 0.9, area.y + area.height * 0.05, { steps: 5 })
    await page.mouse.up()
    await byTestId('save-mask').click()
    await expect.poll(() => byTestId('mask-status').textContent()).toContain('Some areas are painted out')
    // Saved as a PNG the size of the picture: white (ignore) along the top, black (look) below.
    const [listed] = await host.api.listProjects()
    const { mask } = await host.api.openProject(listed.id)
    const png = PNG.sync.read(Buffer.from((mask ?? '').replace(/^data:image\/png;base64,/, ''), 'base64'))
    expect([png.width, png.height]).toEqual([DEMO_DAYS[0].width, DEMO_DAYS[0].height])
    const grey = (fx: number, fy: number): number => png.data[(Math.round(fy * (png.height - 1)) * png.width + Math.round(fx * (png.width - 1))) * 4]
    expect(grey(0.5, 0.05)).toBe(255)
    expect(grey(0.5, 0.6)).toBe(0)
    await byTestId('toggle-mask').click()

    // More detail: more frames, so that there is time to cancel.
    await byTestId('speed-detailed').check()
    await expect.poll(() => byTestId('speed-detailed').isChecked()).toBe(true)

    await byTestId('start-analysis').click()
    await byTestId('cancel-analysis').click()
    await byTestId('analysis-cancelled').waitFor({ timeout: 30_000 })

    // Every progress line the page shows is recorded: a short demo day runs in seconds.
    await page.evaluate(RECORD_PROGRESS)
    await byTestId('start-analysis').click()
    await byTestId('progress').waitFor()
    await page.locator('[data-testid="progress-stage"]:is([data-stage="reference"], [data-stage="accumulating"])').waitFor({ timeout: 60_000 })
    await screenshot(page, 'run-progress')

    // When the run ends, the page moves on to the results by itself.
    await byTestId('day-results').waitFor({ timeout: 120_000 })
    await page.locator('[data-testid="day-item"]', { hasText: 'Before the move' }).filter({ hasText: 'analysed' }).waitFor()
    await screenshot(page, 'day-results')
    // Progress came from the app's events: frames done of the total, speed and time left.
    const seen = await page.evaluate<string[]>('window.__progressTexts')
    expect(seen.some((t) => /^\d+% · [\d,]+ of [\d,]+ frames · [\d.]+ frames a second · (about .+ left|almost done)$/.test(t)), seen.join('\n')).toBe(true)

    // Compare days mounts (one analysed day: it says what it needs).
    await byTestId('open-compare').click()
    await byTestId('compare-days').waitFor()

    // Back to the projects: the new project is listed.
    await byTestId('nav-projects').click()
    await byTestId('project-item').first().waitFor()
    expect(await byTestId('project-item').first().textContent()).toContain('Corner shop')
    await screenshot(page, 'projects')
  })

  it('sent nothing off this machine, broke no CSP rule and logged no errors', async () => {
    expect(await cspViolations(page)).toEqual([])
    expect({ consoleErrors: log.consoleErrors, failedResponses: log.failedResponses }).toEqual({ consoleErrors: [], failedResponses: [] })
    expect(log.foreignRequests).toEqual([])
  })
})
