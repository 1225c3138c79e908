// End to end: footage that once went wrong, in Chromium through the browser host, on the built
// code: a day of 600 files picked in the picker (one request for all of them was refused at 500)
// goes in batches with a count, the picker reads ~ as the home folder, and a clip moved away
// after it was added is said to be gone, with the picture left on screen not offered as the
// empty scene.
// Needs `npx electron-vite build` first (out/renderer, out/main/worker.js).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateClip, testClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { closeAppSession, openAppSession, type AppSession } from './helpers'

const MANY = 600

describe('footage problems in Chromium via the browser host', () => {
  let root: string
  let app: AppSession
  let page: Page
  let savedHome: string | undefined
  const byTestId = (id: string) => page.getByTestId(id)

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-footage-'))
    // The host runs in this process: its home folder (for ~) is this test's.
    savedHome = process.env.HOME
    process.env.HOME = root
    app = await openAppSession(root)
    page = app.page
    // Empty files are listed with their problem without running ffprobe: quick, even 600 of them.
    await mkdir(join(root, 'Videos', 'many'), { recursive: true })
    await Promise.all(Array.from({ length: MANY }, (_, i) => writeFile(join(root, 'Videos', 'many', `cam1_${String(i).padStart(4, '0')}.mp4`), '')))
  })

  afterAll(async () => {
    if (savedHome === undefined) delete process.env.HOME
    else process.env.HOME = savedHome
    await closeAppSession(app ?? {}, root)
  })

  async function openDay(projectName: string, dayName: string): Promise<void> {
    // Going to the address again would only change its #token part, which reloads nothing.
    if (page.url() === 'about:blank') await page.goto(app.host.url)
    else await byTestId('nav-projects').click()
    await byTestId('project-item').filter({ hasText: projectName }).click()
    await page.locator('[data-testid="day-item"]', { hasText: dayName }).click()
  }

  it(`adds ${MANY} files picked in the picker, a batch at a time with a count`, async () => {
    const project = await app.host.api.createProject('Many files')
    await app.host.api.addDay(project.id, 'Ten hours')
    await openDay('Many files', 'Ten hours')
    // Every text the adding status shows, as it changes.
    await page.evaluate(`(() => {
      window.__adding = [];
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="adding-status"]')?.textContent?.trim();
        if (text && window.__adding.at(-1) !== text) window.__adding.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`)
    await byTestId('add-footage').click()
    await byTestId('file-picker').waitFor()
    await byTestId('picker-folder').fill('~/Videos/many')
    await byTestId('picker-go').click()
    await expect.poll(() => byTestId('picker-entries').getAttribute('data-dir')).toBe(join(root, 'Videos', 'many'))
    await page.getByRole('button', { name: 'Select all videos' }).click()
    await expect.poll(() => byTestId('picker-add-selected').textContent()).toContain(`Add ${MANY} files`)
    await byTestId('picker-add-selected').click()
    await expect.poll(() => byTestId('clip-row').count(), { timeout: 120_000 }).toBe(MANY)
    await expect.poll(() => byTestId('adding-status').count()).toBe(0)
    expect(await page.locator('[data-testid="drop-zone"] [role="alert"]').count()).toBe(0)
    const shown = (await page.evaluate('window.__adding')) as string[]
    expect(shown).toContain(`Reading the files… 0 of ${MANY}`)
    // And counts between, as the batches come back.
    expect(shown.filter((text) => new RegExp(`^Reading the files… [1-9]\\d* of ${MANY}$`).test(text)).length).toBeGreaterThan(3)
    expect(await byTestId('clips-overview').textContent()).toContain(`0 of ${MANY} clips usable`)
  })

  it('says a clip moved away is gone, and does not offer the picture left on screen', async () => {
    const { ffmpeg } = locateFfmpeg(process.env.FFMPEG_PATH)
    const clips = await Promise.all([
      generateClip(testClip({ name: 'entrance_20250505080000', seconds: 4, seed: 1 }), join(root, 'footage'), ffmpeg),
      generateClip(testClip({ name: 'entrance_20250505080004', seconds: 4, seed: 2 }), join(root, 'footage'), ffmpeg)
    ])
    let project = await app.host.api.createProject('Moved clip')
    project = await app.host.api.addDay(project.id, 'Monday')
    await app.host.api.addClips(project.id, project.days[0].id, clips.map((c) => c.videoPath))
    await rm(clips[1].videoPath)
    await openDay('Moved clip', 'Monday')
    await byTestId('step-scene').click()
    await byTestId('preview').waitFor({ timeout: 30_000 })
    await expect.poll(() => byTestId('use-frame').getAttribute('aria-disabled')).toBe('false')
    // The last moment is in the clip that is gone.
    await byTestId('timeline').focus()
    await page.keyboard.press('End')
    const alert = page.locator('[data-testid="preview-box"] [role="alert"]')
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toContain(`${clips[1].videoPath} is not there any more: it was moved or deleted.`)
    // The first clip's picture is still there, but it is not this moment's.
    expect(await byTestId('preview').count()).toBe(1)
    expect(await byTestId('use-frame').getAttribute('aria-disabled')).toBe('true')
    // Still focusable and clickable (aria-disabled), and a click does nothing.
    await byTestId('use-frame').click({ force: true })
    await page.waitForTimeout(500)
    expect((await app.host.api.openProject(project.id)).days[0].reference).toEqual({ kind: 'auto' })
  })
})
