// End to end: the owner fixes a day in Chromium through the browser host, on the built code: sets
// a clip's start time (the day re-sorts by time), cancels an edit with Escape, and moves a clip up
// against the clocks, the page and project.json agreeing after each step; then paints the mask
// with the keyboard alone.
// Needs `npx electron-vite build` first (out/renderer, out/main/worker.js).
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ProjectSchema, type Project } from '../../src/shared/project'
import { generateClip, testClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { closeAppSession, cspViolations, openAppSession, screenshot, type AppSession } from './helpers'

describe('editing a day’s clips and mask in Chromium via the browser host', () => {
  let root: string
  /** The app on the browser host and Chromium on it; `page` is its page. */
  let app: AppSession
  let page: Page
  let project: Project
  const byTestId = (id: string) => page.getByTestId(id)

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-clips-'))
    app = await openAppSession(root)
    page = app.page
    const { ffmpeg } = locateFfmpeg(process.env.FFMPEG_PATH)
    // NVR-style names: their clocks put "entrance" (08:00) before "till" (09:00).
    const clips = await Promise.all([
      generateClip(testClip({ name: 'entrance_20250505080000', seconds: 4, seed: 1 }), join(root, 'footage'), ffmpeg),
      generateClip(testClip({ name: 'till_20250505090000', seconds: 4, seed: 2 }), join(root, 'footage'), ffmpeg)
    ])
    project = await app.host.api.createProject('Corner shop')
    project = await app.host.api.addDay(project.id, 'Monday')
    project = await app.host.api.addClips(project.id, project.days[0].id, clips.map((c) => c.videoPath))
  })

  afterAll(() => closeAppSession(app ?? {}, root))

  /** The day's clips as saved on disk: file name, start, where the start came from. */
  async function savedClips(): Promise<Array<[string, string | null, string | null]>> {
    const saved = ProjectSchema.parse(JSON.parse(await readFile(join(root, 'projects', project.id, 'project.json'), 'utf8')))
    return saved.days[0].clips.map((c) => [basename(c.path), c.startedAt, c.startSource])
  }

  /** The clip rows as the page shows them, top to bottom: file name and the "Starts at" cell. */
  async function shownClips(): Promise<Array<[string, string]>> {
    return page.locator('[data-testid="clip-row"]').evaluateAll((rows) =>
      rows.map((row) => [row.querySelector('.name')?.textContent?.trim() ?? '', row.querySelector('td.start')?.textContent?.replace(/\s+/g, ' ').trim() ?? ''] as [string, string])
    )
  }

  async function setStart(file: string, stamp: string): Promise<void> {
    await page.getByRole('button', { name: `Change when ${file} starts` }).click()
    await page.locator('#clip-start-input').fill(stamp)
    await page.getByRole('button', { name: 'Save' }).click()
    await page.locator('#clip-start-input').waitFor({ state: 'detached' })
  }

  it('shows the clips in the order of their clocks', async () => {
    await page.goto(app.host.url)
    await byTestId('project-item').filter({ hasText: 'Corner shop' }).click()
    await page.locator('[data-testid="day-item"]', { hasText: 'Monday' }).click()
    await expect.poll(() => byTestId('clip-row').count(), { timeout: 30_000 }).toBe(2)
    const shown = await shownClips()
    expect(shown.map(([name]) => name)).toEqual(['entrance_20250505080000.mp4', 'till_20250505090000.mp4'])
    expect(shown[0][1]).toContain('08:00')
    expect(shown[0][1]).toContain('from the file name')
    expect(await savedClips()).toEqual([
      ['entrance_20250505080000.mp4', '2025-05-05T08:00:00', 'file name'],
      ['till_20250505090000.mp4', '2025-05-05T09:00:00', 'file name']
    ])
    await expect.poll(() => byTestId('order-against-clocks').count()).toBe(0)

    // Against their clocks, the page says how the analysis will place them; back in order, not.
    await page.getByRole('button', { name: 'Move till_20250505090000.mp4 up' }).click()
    await expect.poll(async () => (await shownClips()).map(([name]) => name)).toEqual(['till_20250505090000.mp4', 'entrance_20250505080000.mp4'])
    await expect.poll(async () => (await byTestId('order-against-clocks').textContent())?.replace(/\s+/g, ' ')).toContain('one after another from 09:00')
    await page.getByRole('button', { name: 'Move till_20250505090000.mp4 down' }).click()
    await expect.poll(async () => (await shownClips()).map(([name]) => name)).toEqual(['entrance_20250505080000.mp4', 'till_20250505090000.mp4'])
    await expect.poll(() => byTestId('order-against-clocks').count()).toBe(0)
  })

  it('sets a start time: shown as set by the owner, saved, and the day re-sorted', async () => {
    // Escape leaves the start as it was.
    await page.getByRole('button', { name: 'Change when till_20250505090000.mp4 starts' }).click()
    await page.locator('#clip-start-input').fill('2025-05-05T06:00:00')
    await page.locator('#clip-start-input').press('Escape')
    await page.locator('#clip-start-input').waitFor({ state: 'detached' })
    expect((await savedClips())[1]).toEqual(['till_20250505090000.mp4', '2025-05-05T09:00:00', 'file name'])

    await setStart('till_20250505090000.mp4', '2025-05-05T14:30:15')
    await expect.poll(async () => (await shownClips())[1][1]).toContain('14:30')
    expect((await shownClips())[1][1]).toContain('from the time you set')
    expect(await savedClips()).toEqual([
      ['entrance_20250505080000.mp4', '2025-05-05T08:00:00', 'file name'],
      ['till_20250505090000.mp4', '2025-05-05T14:30:15', 'given']
    ])

    // A start after the other clip's puts the clip after it.
    await setStart('entrance_20250505080000.mp4', '2025-05-05T16:00:00')
    await expect.poll(async () => (await shownClips()).map(([name]) => name)).toEqual(['till_20250505090000.mp4', 'entrance_20250505080000.mp4'])
    expect(await savedClips()).toEqual([
      ['till_20250505090000.mp4', '2025-05-05T14:30:15', 'given'],
      ['entrance_20250505080000.mp4', '2025-05-05T16:00:00', 'given']
    ])
  })

  it('moves a clip up with its button, keeping the keyboard on it', async () => {
    await page.getByRole('button', { name: 'Move entrance_20250505080000.mp4 up' }).click()
    await expect.poll(async () => (await shownClips()).map(([name]) => name)).toEqual(['entrance_20250505080000.mp4', 'till_20250505090000.mp4'])
    // The order the owner chose is saved, with each clip's own start.
    expect(await savedClips()).toEqual([
      ['entrance_20250505080000.mp4', '2025-05-05T16:00:00', 'given'],
      ['till_20250505090000.mp4', '2025-05-05T14:30:15', 'given']
    ])
    // The first row's up button is disabled: the focus went to the moved clip's other button.
    await expect.poll(() => page.locator(':focus').getAttribute('aria-label')).toBe('Move entrance_20250505080000.mp4 down')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await shownClips()).map(([name]) => name)).toEqual(['till_20250505090000.mp4', 'entrance_20250505080000.mp4'])
    expect((await savedClips()).map(([name]) => name)).toEqual(['till_20250505090000.mp4', 'entrance_20250505080000.mp4'])
  })

  it('paints the mask with the keyboard: arrows move the brush, Space puts it down and lifts it', async () => {
    await byTestId('step-analyse').click()
    await byTestId('toggle-mask').click()
    const canvas = byTestId('mask-canvas')
    await canvas.waitFor({ timeout: 60_000 })
    await canvas.focus()
    // The brush starts in the middle of the 320x180 picture; a step is 5 px, 25 px with Shift.
    await page.keyboard.press('Space')
    await byTestId('mask-cursor').waitFor()
    expect(await byTestId('mask-cursor').getAttribute('data-painting')).toBe('true')
    await page.keyboard.press('Shift+ArrowRight')
    await page.keyboard.press('Shift+ArrowRight')
    await screenshot(page, 'mask-keyboard')
    await page.keyboard.press('Space')
    expect(await byTestId('mask-cursor').getAttribute('data-painting')).toBe('false')
    // Moving with the brush up paints nothing.
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Shift+ArrowDown')
    await byTestId('save-mask').click()
    await expect.poll(() => byTestId('mask-status').textContent()).toContain('Some areas are painted out')

    const { mask } = await app.host.api.openProject(project.id)
    const png = PNG.sync.read(Buffer.from((mask ?? '').replace(/^data:image\/png;base64,/, ''), 'base64'))
    expect([png.width, png.height]).toEqual([320, 180])
    const grey = (x: number, y: number): number => png.data[(y * png.width + x) * 4]
    // Painted from x 159.5 to 209.5 on row 89.5 with a 40 px brush.
    for (const x of [150, 160, 185, 209, 225]) expect(grey(x, 90)).toBe(255)
    expect(grey(100, 90)).toBe(0)
    expect(grey(260, 90)).toBe(0)
    expect(grey(209, 140)).toBe(0)
  })

  it('logged no errors and sent nothing off this machine', async () => {
    expect(await cspViolations(page)).toEqual([])
    const { log } = app
    expect({ consoleErrors: log.consoleErrors, failedResponses: log.failedResponses }).toEqual({ consoleErrors: [], failedResponses: [] })
    expect(log.foreignRequests).toEqual([])
  })
})
