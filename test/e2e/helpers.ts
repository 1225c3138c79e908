// Shared by the end-to-end tests: Chromium as the design notes say to run it, and a page that
// records what must never happen (console errors, CSP violations, requests leaving 127.0.0.1).
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Browser, ConsoleMessage, Page } from 'playwright-core'

export const RENDERER_DIR = resolve('out/renderer')
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
