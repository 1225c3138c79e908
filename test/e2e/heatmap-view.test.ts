// End to end: the built renderer, served by the browser host, driven in Chromium. A result with a
// clear hot spot and a cold area is opened; hovering them must read hot > cold, with no console
// errors, no CSP violations and no request leaving 127.0.0.1.
// Needs `npx electron-vite build` first (out/renderer).
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RESULT_FILES, SummarySchema } from '../../src/shared/summary'
import { decodeNpy } from '../../src/main/formats/npy'
import { startAppHost, type AppHost } from '../../src/main/web/app-host'
import { hotAndCold, hoverReading, launchChromium, RENDERER_DIR, requireBuilt, watchedPage, type GridPoint, type HoverReading } from './helpers'

/**
 * Writes one analysis result into `dir` with the real, built CLI: the default (occupancy) analysis
 * of a real clip in which people stand at a high table.
 */
async function makeResult(dir: string): Promise<void> {
  const clip = resolve('../shared/footage/one-by-one-person-detection.mp4')
  await promisify(execFile)(process.execPath, [resolve('bin/dwellmap.js'), 'analyze', clip, '--out', dir], { timeout: 300_000 })
}

const SCREENSHOT = resolve('test-output/screenshots/heatmap.png')

/** Moves the mouse over analysis-grid pixel (x, y) and reads Plotly's hover label. */
async function hoverAt(page: Page, gridWidth: number, gridHeight: number, [x, y]: GridPoint): Promise<HoverReading> {
  const box = await page.locator('[data-testid="heatmap"] .nsewdrag').first().boundingBox()
  if (!box) throw new Error('the heatmap plot area has no size')
  // Axis ranges are [-0.5, W-0.5] and [-0.5, H-0.5] (reversed), filling the plot area.
  return hoverReading(page, 'heatmap', [box.x + ((x + 0.5) / gridWidth) * box.width, box.y + ((y + 0.5) / gridHeight) * box.height])
}

describe('heatmap view in Chromium via the browser host', () => {
  let root: string
  let emptyRoot: string
  let projectsRoot: string
  let host: AppHost
  let emptyHost: AppHost
  let browser: Browser

  beforeAll(async () => {
    requireBuilt({ worker: false })
    root = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-'))
    emptyRoot = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-empty-'))
    await makeResult(join(root, '2025-05-02_shop'))
    projectsRoot = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-projects-'))
    const workerEntry = resolve('src/main/analysis/worker.ts')
    host = await startAppHost({ projectsRoot, resultsRoot: root, rendererDir: RENDERER_DIR, workerEntry })
    emptyHost = await startAppHost({ projectsRoot, resultsRoot: emptyRoot, rendererDir: RENDERER_DIR, workerEntry })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await emptyHost?.close()
    if (root) await rm(root, { recursive: true, force: true })
    if (emptyRoot) await rm(emptyRoot, { recursive: true, force: true })
    if (projectsRoot) await rm(projectsRoot, { recursive: true, force: true })
  })

  it('shows the heatmap over the picture with hover values (hot > cold)', async () => {
    const { page, log } = await watchedPage(browser, host.port)
    await page.goto(host.url)

    // The token is taken out of the address bar as soon as the app starts.
    await page.locator('[data-testid="result-item"]').first().waitFor()
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`)

    await page.locator('[data-testid="result-item"]').first().click()
    await page.locator('[data-testid="heatmap"] .hm image').first().waitFor({ state: 'attached', timeout: 30_000 })
    await page.locator('[data-testid="heatmap"] .imagelayer image').first().waitFor({ state: 'attached' })
    await expect.poll(() => page.locator('[data-testid="heatmap"] .colorbar .cbtitle').textContent()).toContain('% of time occupied')
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(root, '2025-05-02_shop', RESULT_FILES.summaryJson), 'utf8')))
    const framesText = `${summary.frames.used.toLocaleString('en-US')} of ${summary.frames.sampled.toLocaleString('en-US')} sampled frames used`
    await expect.poll(() => page.locator('[data-testid="summary"]').textContent()).toContain(framesText)

    // Plotly's own "Share chart" (upload to its cloud) must not be offered.
    await page.locator('[data-testid="heatmap"] .modebar-btn').first().waitFor({ state: 'attached' })
    const buttons = await page.locator('[data-testid="heatmap"] .modebar-btn').evaluateAll((els) => els.map((el) => el.getAttribute('data-title') ?? ''))
    expect(buttons).toContain('Zoom')
    expect(buttons.filter((title) => /share|cloud|chart studio/i.test(title))).toEqual([])

    const grid = decodeNpy(await readFile(join(root, '2025-05-02_shop', RESULT_FILES.heatmapNpy)))
    const { hot, cold } = hotAndCold(grid, 0.1)
    const hotReading = await hoverAt(page, grid.width, grid.height, hot)
    const coldReading = await hoverAt(page, grid.width, grid.height, cold)

    // The label names the place hovered (within a display cell or two) and its value.
    expect(Math.abs(hotReading.x - hot[0])).toBeLessThanOrEqual(4)
    expect(Math.abs(hotReading.y - hot[1])).toBeLessThanOrEqual(4)
    expect(Math.abs(coldReading.x - cold[0])).toBeLessThanOrEqual(4)
    expect(Math.abs(coldReading.y - cold[1])).toBeLessThanOrEqual(4)
    // The display grid averages a few pixels, so the hottest cell reads a little below the peak.
    // Occupancy is shown in percent.
    expect(hotReading.value).toBeGreaterThan(0.5 * summary.max * 100)
    expect(hotReading.text).toContain('% of time occupied')
    expect(hotReading.value).toBeGreaterThan(coldReading.value * 10)

    // The opacity slider restyles the heatmap.
    await page.locator('[data-testid="opacity"]').fill('0.3')
    await expect.poll(() => page.locator('[data-testid="heatmap"] .hm image').first().getAttribute('style')).toContain('opacity: 0.3')

    // Show a hover label in the screenshot, as a person would see it.
    await hoverAt(page, grid.width, grid.height, hot)
    await mkdir(resolve('test-output/screenshots'), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })

    const violations = await page.evaluate<string[]>('window.__cspViolations')
    expect(violations).toEqual([])
    expect(log.consoleErrors).toEqual([])
    expect(log.foreignRequests).toEqual([])
    await page.context().close()
  })

  it('tells a new user how to start, and shows no command-line analyses when there are none', async () => {
    const { page, log } = await watchedPage(browser, emptyHost.port)
    await page.goto(emptyHost.url)
    const empty = page.locator('[data-testid="projects-empty"]')
    await empty.waitFor()
    expect(await empty.textContent()).toContain('No projects yet')
    expect(await page.locator('[data-testid="result-item"]').count()).toBe(0)
    expect(await page.evaluate<string[]>('window.__cspViolations')).toEqual([])
    expect(log.consoleErrors).toEqual([])
    expect(log.foreignRequests).toEqual([])
    await page.context().close()
  })

  it('refuses the API to a page without the token', async () => {
    const { page, log } = await watchedPage(browser, host.port)
    await page.goto(`http://127.0.0.1:${host.port}/`)
    await page.locator('[role="alert"]').waitFor()
    expect(await page.locator('[role="alert"]').textContent()).toContain('access link')
    expect(log.foreignRequests).toEqual([])
    await page.context().close()
  })
})
