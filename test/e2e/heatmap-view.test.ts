// End to end: the built renderer, served by the browser host, driven in Chromium. A result with a
// clear hot spot and a cold area is opened; hovering them must read hot > cold, with no console
// errors, no CSP violations and no request leaving 127.0.0.1.
// Needs `npx electron-vite build` first (out/renderer).
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PNG } from 'pngjs'
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RESULT_FILES, type Summary } from '../../src/shared/summary'
import { decodeNpy, encodeNpy, type Float32Grid } from '../../src/main/formats/npy'
import { startBrowserHost, type BrowserHost } from '../../src/main/web/server'

/**
 * Writes one analysis result into `dir`: a 480x270 heatmap that is hot around (340, 150) and
 * zero on the left, over a synthetic shop picture. (To be replaced by a real `dwellmap analyze` run.)
 */
async function makeResult(dir: string): Promise<void> {
  const width = 480
  const height = 270
  const data = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d2 = (x - 340) ** 2 + (y - 150) ** 2
      data[y * width + x] = 0.8 * Math.exp(-d2 / (2 * 30 ** 2)) + (x > 200 ? 0.02 : 0)
    }
  }
  const picture = new PNG({ width, height })
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      // A floor that darkens towards the back, a counter and a shelf, so the overlay is visible.
      const counter = x > 300 && x < 420 && y > 40 && y < 80
      const shelf = x > 40 && x < 90 && y > 30 && y < 240
      const floor = 120 + Math.round((y / height) * 90)
      const v = counter ? 70 : shelf ? 160 : floor
      picture.data[i] = v
      picture.data[i + 1] = shelf ? v - 30 : v
      picture.data[i + 2] = counter ? v + 40 : v - 10
      picture.data[i + 3] = 255
    }
  }
  const summary: Summary = {
    dwellmap: 1,
    createdAt: '2025-05-02T18:30:00.000Z',
    inputs: [
      {
        path: '/footage/shop-cam1/2025-05-02_0900.mp4',
        bytes: 734_003_200,
        hash: 'e2e',
        width: 1920,
        height: 1080,
        durationSeconds: 3600,
        fps: 25,
        codec: 'h264',
        framesSampled: 1800,
        status: 'analysed'
      }
    ],
    settings: { method: 'occupancy', reference: { kind: 'auto' }, sample: { kind: 'auto' }, width, blur: 5, threshold: 22 },
    resolved: { sample: 'fps:0.5', reference: 'median of 60 frames' },
    grid: { width, height },
    kernel: 'typescript',
    frames: { sampled: 1800, used: 1790, skipped: 10 },
    unit: 'share of time occupied',
    max: 0.82,
    timings: { totalSeconds: 42.5, referenceSeconds: 3.1, accumulateSeconds: 38.9 },
    files: {
      heatmapNpy: RESULT_FILES.heatmapNpy,
      heatmapPng: RESULT_FILES.heatmapPng,
      referencePng: RESULT_FILES.referencePng,
      summaryJson: RESULT_FILES.summaryJson
    }
  }
  const png = PNG.sync.write(picture)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, RESULT_FILES.heatmapNpy), encodeNpy({ width, height, data }))
  await writeFile(join(dir, RESULT_FILES.referencePng), png)
  await writeFile(join(dir, RESULT_FILES.heatmapPng), png)
  await writeFile(join(dir, RESULT_FILES.summaryJson), JSON.stringify(summary, null, 2))
}

const RENDERER_DIR = resolve('out/renderer')
const SCREENSHOT = resolve('test-output/screenshots/heatmap.png')
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic'
]

/** Records CSP violations in the page, from before any of its scripts run. */
const CSP_WATCH = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
`

/** Everything a page did that the test must see: console errors, CSP reports, outside requests. */
interface PageLog {
  consoleErrors: string[]
  foreignRequests: string[]
}

async function watchedPage(browser: Browser, port: number): Promise<{ page: Page; log: PageLog }> {
  const log: PageLog = { consoleErrors: [], foreignRequests: [] }
  const context = await browser.newContext({ viewport: { width: 1400, height: 950 } })
  // Anything not addressed to our host is recorded and never sent.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url())
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.host === `127.0.0.1:${port}`) return route.continue()
    log.foreignRequests.push(route.request().url())
    return route.abort()
  })
  const page = await context.newPage()
  await page.addInitScript({ content: CSP_WATCH })
  page.on('console', (msg: ConsoleMessage) => {
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) log.consoleErrors.push(msg.text())
  })
  page.on('pageerror', (error) => log.consoleErrors.push(`uncaught: ${error.message}`))
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.host !== `127.0.0.1:${port}`) {
      log.foreignRequests.push(request.url())
    }
  })
  return { page, log }
}

/** The grid's hottest place, and the coldest place away from the picture's edges. */
function hotAndCold(grid: Float32Grid): { hot: [number, number]; cold: [number, number] } {
  let hot: [number, number] = [0, 0]
  let cold: [number, number] = [0, 0]
  let max = -Infinity
  let min = Infinity
  const mx = Math.round(grid.width * 0.1)
  const my = Math.round(grid.height * 0.1)
  for (let y = my; y < grid.height - my; y++) {
    for (let x = mx; x < grid.width - mx; x++) {
      const v = grid.data[y * grid.width + x]
      if (v > max) [max, hot] = [v, [x, y]]
      if (v < min) [min, cold] = [v, [x, y]]
    }
  }
  return { hot, cold }
}

interface HoverReading {
  x: number
  y: number
  value: number
  text: string
}

/** Moves the mouse over analysis-grid pixel (x, y) and reads Plotly's hover label. */
async function hoverAt(page: Page, gridWidth: number, gridHeight: number, [x, y]: [number, number]): Promise<HoverReading> {
  const plotArea = page.locator('[data-testid="heatmap"] .nsewdrag').first()
  const box = await plotArea.boundingBox()
  if (!box) throw new Error('the heatmap plot area has no size')
  // Axis ranges are [-0.5, W-0.5] and [-0.5, H-0.5] (reversed), filling the plot area.
  await page.mouse.move(box.x + 2, box.y + box.height + 30)
  await page.locator('[data-testid="heatmap"] .hoverlayer .hovertext').waitFor({ state: 'detached' }).catch(() => undefined)
  await page.mouse.move(box.x + ((x + 0.5) / gridWidth) * box.width, box.y + ((y + 0.5) / gridHeight) * box.height)
  const label = page.locator('[data-testid="heatmap"] .hoverlayer .hovertext').first()
  await label.waitFor({ state: 'visible', timeout: 10_000 })
  const text = ((await label.textContent()) ?? '').replace(/\u2212/g, '-')
  const match = /x (-?\d+), y (-?\d+) px.*Value: (-?[\d.]+(?:e[-+]?\d+)?)/.exec(text)
  if (!match) throw new Error(`unexpected hover label: ${JSON.stringify(text)}`)
  return { x: Number(match[1]), y: Number(match[2]), value: Number(match[3]), text }
}

describe('heatmap view in Chromium via the browser host', () => {
  let root: string
  let emptyRoot: string
  let host: BrowserHost
  let emptyHost: BrowserHost
  let browser: Browser

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
      throw new Error(`${RENDERER_DIR}/index.html is missing: run \`npx electron-vite build\` first`)
    }
    root = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-'))
    emptyRoot = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-empty-'))
    await makeResult(join(root, '2025-05-02_shop'))
    host = await startBrowserHost({ resultsRoot: root, rendererDir: RENDERER_DIR })
    emptyHost = await startBrowserHost({ resultsRoot: emptyRoot, rendererDir: RENDERER_DIR })
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
    await host?.close()
    await emptyHost?.close()
    if (root) await rm(root, { recursive: true, force: true })
    if (emptyRoot) await rm(emptyRoot, { recursive: true, force: true })
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
    await expect.poll(() => page.locator('[data-testid="heatmap"] .colorbar .cbtitle').textContent()).toContain('share of time occupied')
    await expect.poll(() => page.locator('[data-testid="summary"]').textContent()).toContain('1,790 of 1,800 sampled frames used')

    // Plotly's own "Share chart" (upload to its cloud) must not be offered.
    await page.locator('[data-testid="heatmap"] .modebar-btn').first().waitFor({ state: 'attached' })
    const buttons = await page.locator('[data-testid="heatmap"] .modebar-btn').evaluateAll((els) => els.map((el) => el.getAttribute('data-title') ?? ''))
    expect(buttons).toContain('Zoom')
    expect(buttons.filter((title) => /share|cloud|chart studio/i.test(title))).toEqual([])

    const grid = decodeNpy(await readFile(join(root, '2025-05-02_shop', RESULT_FILES.heatmapNpy)))
    const { hot, cold } = hotAndCold(grid)
    const hotReading = await hoverAt(page, grid.width, grid.height, hot)
    const coldReading = await hoverAt(page, grid.width, grid.height, cold)

    // The label names the place hovered (within a display cell or two) and its value.
    expect(Math.abs(hotReading.x - hot[0])).toBeLessThanOrEqual(4)
    expect(Math.abs(hotReading.y - hot[1])).toBeLessThanOrEqual(4)
    expect(Math.abs(coldReading.x - cold[0])).toBeLessThanOrEqual(4)
    expect(Math.abs(coldReading.y - cold[1])).toBeLessThanOrEqual(4)
    expect(hotReading.value).toBeGreaterThan(0.5)
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

  it('tells a new user how to make their first analysis', async () => {
    const { page, log } = await watchedPage(browser, emptyHost.port)
    await page.goto(emptyHost.url)
    const empty = page.locator('[data-testid="empty-state"]')
    await empty.waitFor()
    expect(await empty.textContent()).toContain('No analyses yet — run dwellmap analyze')
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
