// Shared by the end-to-end tests: Chromium as the design notes say to run it, and a page that
// records what must never happen (console errors, CSP violations, requests leaving 127.0.0.1).
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core'
import type { Float32Grid } from '../../src/main/formats/npy'
import { startAppHost, type AppHost } from '../../src/main/web/app-host'

export const RENDERER_DIR = resolve('out/renderer')
/** The analysis worker as built (what the app runs). */
export const WORKER_ENTRY = resolve('out/main/worker.js')
export const SCREENSHOT_DIR = resolve('test-output/screenshots')

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic'
]

/** Fails early, saying what to run, when the built app is not there. */
export function requireBuilt(needs: { worker: boolean }): void {
  for (const built of [join(RENDERER_DIR, 'index.html'), ...(needs.worker ? [WORKER_ENTRY] : [])]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npx electron-vite build\` first`)
  }
}

/** Debian's Chromium with the flags of the design notes (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/** The built app on the browser host, and a watched Chromium page for it. */
export interface AppSession {
  host: AppHost
  browser: Browser
  page: Page
  log: PageLog
}

/** Serves the built app (with its worker) over `root`/projects and `root`/results, and opens Chromium on it. */
export async function openAppSession(root: string): Promise<AppSession> {
  requireBuilt({ worker: true })
  const host = await startAppHost({ projectsRoot: join(root, 'projects'), resultsRoot: join(root, 'results'), rendererDir: RENDERER_DIR, workerEntry: WORKER_ENTRY })
  const browser = await launchChromium()
  const { page, log } = await watchedPage(browser, host.port)
  return { host, browser, page, log }
}

/** Closes what openAppSession opened (whatever of it was opened) and removes `root`. */
export async function closeAppSession(session: { host?: AppHost; browser?: Browser }, root: string | undefined): Promise<void> {
  await session.browser?.close()
  await session.host?.close()
  if (root) await rm(root, { recursive: true, force: true })
}

/** Records CSP violations in the page, from before any of its scripts run. */
const CSP_WATCH = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
`

/** Everything a page did that the test must see: console errors, CSP reports, outside requests. */
export interface PageLog {
  consoleErrors: string[]
  foreignRequests: string[]
  /** Answers with an error status: "<status> <path>: <body>", to say which call a console error was. */
  failedResponses: string[]
}

export async function watchedPage(browser: Browser, port: number, viewport = { width: 1400, height: 950 }): Promise<{ page: Page; log: PageLog }> {
  const log: PageLog = { consoleErrors: [], foreignRequests: [], failedResponses: [] }
  const context = await browser.newContext({ viewport })
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
  page.on('response', (response) => {
    if (response.status() < 400) return
    const path = new URL(response.url()).pathname
    response.text().then(
      (body) => log.failedResponses.push(`${response.status()} ${path}: ${body.slice(0, 300)}`),
      () => log.failedResponses.push(`${response.status()} ${path}`)
    )
  })
  return { page, log }
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__cspViolations')
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: resolve(SCREENSHOT_DIR, `${name}.png`), fullPage: true })
}

export type GridPoint = [number, number]

/** The grid's hottest place, and the coldest place at least `margin` (a fraction) from its edges. */
export function hotAndCold(grid: Float32Grid, margin: number): { hot: GridPoint; cold: GridPoint } {
  let hot: GridPoint = [0, 0]
  let cold: GridPoint = [0, 0]
  let max = -Infinity
  let min = Infinity
  const mx = Math.round(grid.width * margin)
  const my = Math.round(grid.height * margin)
  for (let y = my; y < grid.height - my; y++) {
    for (let x = mx; x < grid.width - mx; x++) {
      const v = grid.data[y * grid.width + x]
      if (v > max) [max, hot] = [v, [x, y]]
      if (v < min) [min, cold] = [v, [x, y]]
    }
  }
  return { hot, cold }
}

export interface HoverReading {
  x: number
  y: number
  value: number
  text: string
}

/**
 * Moves the mouse to a point of the screen over the heatmap `testid` and reads Plotly's hover
 * label there (after moving away first, so that an old label is not read).
 */
export async function hoverReading(page: Page, testid: string, [sx, sy]: [number, number]): Promise<HoverReading> {
  const area = page.locator(`[data-testid="${testid}"] .nsewdrag`).first()
  const box = await area.boundingBox()
  if (!box) throw new Error(`${testid} has no plot area`)
  await page.mouse.move(box.x + 2, box.y + box.height + 30)
  await page.locator(`[data-testid="${testid}"] .hoverlayer .hovertext`).waitFor({ state: 'detached' }).catch(() => undefined)
  await page.mouse.move(sx, sy)
  const label = page.locator(`[data-testid="${testid}"] .hoverlayer .hovertext`).first()
  await label.waitFor({ state: 'visible', timeout: 10_000 })
  const text = ((await label.textContent()) ?? '').replace(/\u2212/g, '-')
  const match = /x (-?\d+), y (-?\d+) px.*Value: (-?[\d.]+(?:e[-+]?\d+)?)/.exec(text)
  if (!match) throw new Error(`unexpected hover label: ${JSON.stringify(text)}`)
  return { x: Number(match[1]), y: Number(match[2]), value: Number(match[3]), text }
}
