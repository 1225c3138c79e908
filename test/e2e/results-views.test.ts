// End to end: the results views in Chromium through the browser host, on the built code. Two demo
// days of generated footage are analysed through the API; then the owner opens a day's heatmap
// (hot spot reads higher than a cold place, as heatmap.npy says), draws areas and reads their
// share of time, sets a time window, exports every format, and compares the two days (three maps,
// one colour scale, linked zoom, the area table). Throughout: no console errors, no CSP
// violations, no request leaving 127.0.0.1. Screenshots: heatmap-day.png, zones.png, compare.png.
// Needs `npx electron-vite build` first (out/renderer, out/main/worker.js).
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Download, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Project } from '../../src/shared/project'
import { RESULT_FILES } from '../../src/shared/summary'
import { decodeNpy, type Float32Grid } from '../../src/main/formats/npy'
import { DEMO_DAYS, generateClip } from '../../src/main/footage'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import type { AppHost } from '../../src/main/web/app-host'
import { closeAppSession, cspViolations, hotAndCold, hoverReading, openAppSession, screenshot, type GridPoint, type HoverReading, type PageLog } from './helpers'

const CLIP_SECONDS = 30
/** The clips are placed at 12:10 on their days, so that 12:00 to 13:00 holds all the footage. */
const DAYS = [
  { name: 'Monday', start: '2025-05-05T12:10:00' },
  { name: 'Tuesday', start: '2025-05-06T12:10:00' }
]

type Point = GridPoint

/** Mean share over the pixels whose centres are inside an axis-aligned zone (fractions). */
function meanInRect(grid: Float32Grid, points: Array<[number, number]>): number {
  const xs = points.map((p) => p[0] * grid.width)
  const ys = points.map((p) => p[1] * grid.height)
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
  let sum = 0
  let count = 0
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      if (x + 0.5 >= x0 && x + 0.5 < x1 && y + 0.5 >= y0 && y + 0.5 < y1) {
        sum += grid.data[y * grid.width + x]
        count++
      }
    }
  }
  return count ? sum / count : 0
}

/** Same centre (within half a pixel) and covering all of `inner`, on both axes. */
function showsSameView(outer: { x: number[]; y: number[] }, inner: { x: number[]; y: number[] }): boolean {
  return (['x', 'y'] as const).every((axis) => {
    const [olo, ohi] = [Math.min(...outer[axis]), Math.max(...outer[axis])]
    const [ilo, ihi] = [Math.min(...inner[axis]), Math.max(...inner[axis])]
    return Math.abs((olo + ohi) / 2 - (ilo + ihi) / 2) <= 0.5 && olo <= ilo + 0.01 && ohi >= ihi - 0.01
  })
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])

describe('results views (day, areas, time window, exports, comparison) in Chromium', () => {
  let root: string
  let host: AppHost
  let browser: Browser
  let page: Page
  let log: PageLog
  let project: Project
  let grid: Float32Grid
  const byTestId = (id: string): Locator => page.getByTestId(id)

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'dwellmap-e2e-results-'))
    ;({ host, browser, page, log } = await openAppSession(root))
    const { ffmpeg } = locateFfmpeg(process.env.FFMPEG_PATH)
    const clips = await Promise.all(DEMO_DAYS.slice(0, 2).map((spec, i) => generateClip({ ...spec, seconds: CLIP_SECONDS }, join(root, 'footage', `day${i + 1}`), ffmpeg)))

    // Set up and analyse both days through the API, as the app's own pages would.
    const { api } = host
    project = await api.createProject('Corner shop')
    for (const [i, day] of DAYS.entries()) {
      project = await api.addDay(project.id, day.name)
      const dayId = project.days[i].id
      project = await api.addClips(project.id, dayId, [clips[i].videoPath])
      project = await api.setClipStart(project.id, dayId, clips[i].videoPath, day.start)
    }
    for (const day of project.days) {
      await api.startAnalysis(project.id, day.id)
      const deadline = Date.now() + 240_000
      for (;;) {
        project = await api.openProject(project.id)
        const state = project.days.find((d) => d.id === day.id)!.analysis
        if (state.status === 'done') break
        if (state.status === 'failed' || state.status === 'cancelled' || state.status === 'interrupted') throw new Error(`analysis of ${day.name} ended ${state.status}: ${state.message}`)
        if (Date.now() > deadline) throw new Error(`analysis of ${day.name} did not finish in time`)
        await new Promise((r) => setTimeout(r, 500))
      }
    }
    grid = decodeNpy(await readFile(join(root, 'projects', project.id, 'days', project.days[0].id, 'result', RESULT_FILES.heatmapNpy)))
  }, 600_000)

  afterAll(() => closeAppSession({ host, browser }, root))

  /** The heatmap's plot area on screen (Plotly's drag layer covers exactly the axes' ranges). */
  async function plotArea(testid: string): Promise<{ x: number; y: number; width: number; height: number }> {
    const area = page.locator(`[data-testid="${testid}"] .nsewdrag`).first()
    await area.scrollIntoViewIfNeeded()
    const box = await area.boundingBox()
    if (!box) throw new Error(`${testid} has no plot area`)
    return box
  }

  /** Screen position of analysis-grid pixel (x, y) when the whole picture is shown. */
  async function screenOf(testid: string, [x, y]: Point): Promise<Point> {
    const box = await plotArea(testid)
    return [box.x + ((x + 0.5) / grid.width) * box.width, box.y + ((y + 0.5) / grid.height) * box.height]
  }

  /** Hovers analysis-grid pixel (x, y) and reads Plotly's hover label. */
  async function hoverAt(at: Point): Promise<HoverReading> {
    return hoverReading(page, 'heatmap', await screenOf('heatmap', at))
  }

  async function download(testid: string): Promise<{ name: string; bytes: Buffer }> {
    const [file]: [Download, void] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), byTestId(testid).click()])
    const path = await file.path()
    return { name: file.suggestedFilename(), bytes: await readFile(path) }
  }

  async function axisRanges(testid: string): Promise<{ x: number[]; y: number[] }> {
    return page.locator(`[data-testid="${testid}"]`).evaluate((el) => {
      const full = (el as unknown as { _fullLayout: { xaxis: { range: number[] }; yaxis: { range: number[] } } })._fullLayout
      return { x: [...full.xaxis.range], y: [...full.yaxis.range] }
    })
  }

  /** Opens a day's results in the app: its project, the day, its results. */
  async function openDay(dayName: string): Promise<void> {
    await openResults(page, project, dayName)
    await page.locator('[data-testid="heatmap"] .hm image').first().waitFor({ state: 'attached', timeout: 30_000 })
  }

  it('shows a day’s heatmap over the picture: hot reads higher than cold', async () => {
    await page.goto(host.url)
    await openDay('Monday')
    await page.locator('[data-testid="heatmap"] .imagelayer image').first().waitFor({ state: 'attached' })
    await expect.poll(() => page.locator('[data-testid="heatmap"] .colorbar .cbtitle').textContent()).toContain('% of time occupied')
    expect(await byTestId('heatmap-caption').textContent()).toContain('Where people spent their time on Monday, over the whole day')

    // No cloud "share" button on the plot.
    const buttons = await page.locator('[data-testid="heatmap"] .modebar-btn').evaluateAll((els) => els.map((el) => el.getAttribute('data-title') ?? ''))
    expect(buttons).toContain('Zoom')
    expect(buttons.filter((t) => /share|cloud|chart studio/i.test(t))).toEqual([])

    const { hot, cold } = hotAndCold(grid, 0.15)
    const hotReading = await hoverAt(hot)
    const coldReading = await hoverAt(cold)
    expect(Math.abs(hotReading.x - hot[0])).toBeLessThanOrEqual(4)
    expect(Math.abs(hotReading.y - hot[1])).toBeLessThanOrEqual(4)
    expect(hotReading.text).toContain('% of time occupied')
    expect(hotReading.value).toBeGreaterThan(coldReading.value + 5)

    // The strength slider restyles the heatmap.
    await byTestId('opacity').fill('0.5')
    await expect.poll(() => page.locator('[data-testid="heatmap"] .hm image').first().getAttribute('style')).toContain('opacity: 0.5')

    // Activity by hour: one bar for the hour of footage.
    await expect.poll(() => page.locator('[data-testid="hour-chart"] .bars .point').count()).toBe(1)

    await hoverAt(hot)
    await screenshot(page, 'heatmap-day')
  })

  it('draws areas on the picture and shows their share of time', async () => {
    const { hot, cold } = hotAndCold(grid, 0.15)
    await byTestId('zone-draw').click()
    await byTestId('zone-draw-layer').waitFor()

    // A rectangle, dragged around the hot spot.
    const half = Math.round(grid.width * 0.04)
    const [ax, ay] = await screenOf('heatmap', [hot[0] - half, hot[1] - half])
    const [bx, by] = await screenOf('heatmap', [hot[0] + half, hot[1] + half])
    await page.mouse.move(ax, ay)
    await page.mouse.down()
    await page.mouse.move((ax + bx) / 2, (ay + by) / 2, { steps: 4 })
    await page.mouse.move(bx, by, { steps: 4 })
    await page.mouse.up()
    await byTestId('zone-name').fill('checkout')
    await byTestId('zone-save').click()
    await expect.poll(() => byTestId('zone-row').count()).toBe(1)
    await expect.poll(() => byTestId('zone-share').first().textContent()).toMatch(/^\d+\.\d %$/)

    // The saved zone is a rectangle in fractions of the grid, and its figure is the mean inside.
    project = await host.api.openProject(project.id)
    expect(project.zones).toHaveLength(1)
    const checkout = project.zones[0]
    expect(checkout.name).toBe('checkout')
    expect(checkout.points).toHaveLength(4)
    for (const [fx, fy] of checkout.points) {
      expect(fx).toBeGreaterThanOrEqual(0)
      expect(fx).toBeLessThanOrEqual(1)
      expect(fy).toBeGreaterThanOrEqual(0)
      expect(fy).toBeLessThanOrEqual(1)
    }
    const expected = meanInRect(grid, checkout.points) * 100
    const shown = Number.parseFloat((await byTestId('zone-share').first().textContent()) ?? '')
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(0.11)
    expect(shown).toBeGreaterThan(1)

    // A polygon, corner by corner around a cold place, closed with a double-click.
    await byTestId('zone-draw').click()
    const r = Math.round(grid.width * 0.05)
    const corners: Point[] = [
      [cold[0] - r, cold[1] - r],
      [cold[0] + r, cold[1] - r],
      [cold[0] + r, cold[1] + r]
    ]
    for (const corner of corners) {
      const [sx, sy] = await screenOf('heatmap', corner)
      await page.mouse.click(sx, sy)
    }
    const [lx, ly] = await screenOf('heatmap', [cold[0] - r, cold[1] + r])
    await page.mouse.dblclick(lx, ly)
    await expect.poll(() => byTestId('zone-name').inputValue()).toBe('Area 2')
    await byTestId('zone-name').press('Enter')
    await expect.poll(() => byTestId('zone-row').count()).toBe(2)
    project = await host.api.openProject(project.id)
    expect(project.zones[1].points).toHaveLength(4)

    // Renamed to what it is.
    await byTestId('zone-rename').nth(1).click()
    await byTestId('zone-rename-input').fill('window display')
    await byTestId('zone-rename-save').click()
    await expect.poll(() => byTestId('zone-name-cell').allTextContents()).toEqual(['checkout', 'window display'])

    // A third one, drawn by mistake and deleted.
    await byTestId('zone-draw').click()
    const [cx, cy] = await screenOf('heatmap', [Math.round(grid.width * 0.2), Math.round(grid.height * 0.2)])
    await page.mouse.move(cx, cy)
    await page.mouse.down()
    await page.mouse.move(cx + 60, cy + 40, { steps: 5 })
    await page.mouse.up()
    await byTestId('zone-name').fill('spare')
    await byTestId('zone-save').click()
    await expect.poll(() => byTestId('zone-row').count()).toBe(3)
    await byTestId('zone-delete').nth(2).click()
    await byTestId('zone-delete-confirm').click()
    await expect.poll(() => byTestId('zone-row').count()).toBe(2)
    project = await host.api.openProject(project.id)
    expect(project.zones.map((z) => z.name)).toEqual(['checkout', 'window display'])

    // With the keyboard alone: arrows move a cursor (a fiftieth of the width a step, five with
    // Shift), Space places a corner, Enter closes the shape.
    await byTestId('zone-draw').click()
    await byTestId('zone-draw-layer').focus()
    await page.keyboard.press('Space')
    await byTestId('zone-cursor').waitFor()
    for (const key of ['Shift+ArrowRight', 'Space', 'Shift+ArrowDown', 'Space', 'Shift+ArrowLeft', 'Space', 'Enter']) await page.keyboard.press(key)
    await byTestId('zone-name').fill('typed')
    await byTestId('zone-save').click()
    await expect.poll(() => byTestId('zone-row').count()).toBe(3)
    project = await host.api.openProject(project.id)
    const typed = project.zones[2].points
    expect(typed).toHaveLength(4)
    // A square a tenth of the picture's width across, from the middle of the picture.
    expect(typed[1][0] - typed[0][0]).toBeCloseTo(0.1, 2)
    expect(typed[0][0]).toBeCloseTo(0.5, 1)
    expect((typed[2][1] - typed[1][1]) * grid.height).toBeCloseTo(0.1 * grid.width, 0)
    await byTestId('zone-delete').nth(2).click()
    await byTestId('zone-delete-confirm').click()
    await expect.poll(() => byTestId('zone-row').count()).toBe(2)

    // Outlined on the map, and charted.
    await expect.poll(() => page.locator('[data-testid="heatmap"] .shapelayer path').count()).toBeGreaterThanOrEqual(2)
    await page.locator('[data-testid="zone-chart"] .bars .point').first().waitFor({ state: 'attached' })
    await byTestId('zone-row').first().hover()
    await screenshot(page, 'zones')
  })

  it('shows only the hours asked for', async () => {
    await byTestId('window-from').selectOption('12')
    await byTestId('window-to').selectOption('13')
    await expect.poll(() => byTestId('heatmap-caption').textContent()).toContain('from 12:00 to 13:00')
    const { hot } = hotAndCold(grid, 0.15)
    expect((await hoverAt(hot)).value).toBeGreaterThan(0)

    // Hours without footage: said plainly.
    await byTestId('window-from').selectOption('15')
    await byTestId('window-empty').waitFor()
    expect(await byTestId('window-empty').textContent()).toContain('no footage from 15:00 to 16:00')

    await byTestId('window-whole-day').click()
    await expect.poll(() => byTestId('heatmap-caption').textContent()).toContain('over the whole day')

    // A click on an hour's bar shows that hour.
    // (Plotly's drag layer takes the pointer: click where the bar is.)
    const barPath = page.locator('[data-testid="hour-chart"] .bars .point path').first()
    await barPath.scrollIntoViewIfNeeded()
    const bar = await barPath.boundingBox()
    if (!bar) throw new Error('the hour chart has no bar')
    await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2)
    await page.locator('[data-testid="hour-chart"] .hoverlayer .hovertext').first().waitFor({ state: 'visible' })
    await page.mouse.down()
    await page.mouse.up()
    await expect.poll(() => byTestId('heatmap-caption').textContent()).toContain('from 12:00 to 13:00')
    await byTestId('window-whole-day').click()
    await expect.poll(() => byTestId('heatmap-caption').textContent()).toContain('over the whole day')
  })

  it('exports the view, the grid, the areas, the array and the report', async () => {
    const view = await download('export-view-png')
    expect(view.name).toBe('corner-shop-monday-view.png')
    expect(view.bytes.subarray(0, 8)).toEqual(PNG_MAGIC)

    const png = await download('export-heatmap-png')
    expect(png.name).toMatch(/\.png$/)
    expect(png.bytes.subarray(0, 8)).toEqual(PNG_MAGIC)

    const gridCsv = await download('export-grid-csv')
    expect(gridCsv.name).toMatch(/\.csv$/)
    const gridLines = gridCsv.bytes.toString('utf8').split(/\r?\n/)
    expect(gridLines[0]).toMatch(/^y\\x,0,1,2,/)
    expect(gridLines[0].split(',')).toHaveLength(grid.width + 1)

    const zonesCsv = await download('export-zones-csv')
    const zoneLines = zonesCsv.bytes.toString('utf8').split(/\r?\n/)
    expect(zoneLines[0]).toMatch(/^zone,share \(% of time\)/)
    expect(zoneLines[1]).toMatch(/^checkout,/)
    expect(zoneLines[2]).toMatch(/^window display,/)

    const npy = await download('export-heatmap-npy')
    expect(npy.name).toMatch(/\.npy$/)
    expect(npy.bytes.subarray(0, 6)).toEqual(NPY_MAGIC)
    const decoded = decodeNpy(npy.bytes)
    expect([decoded.width, decoded.height]).toEqual([grid.width, grid.height])

    const report = await download('export-report-html')
    expect(report.name).toMatch(/\.html$/)
    const html = report.bytes.toString('utf8')
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('Plotly')

    // Each file stays offered as a link with its name.
    await expect.poll(() => page.locator('[data-testid="export-ready"] a').count()).toBe(6)

    // With a time window, the values follow it (and say so in their names); the report does not.
    await byTestId('window-from').selectOption('12')
    await byTestId('window-to').selectOption('13')
    await expect.poll(() => byTestId('export-window-note').textContent()).toContain('cover 12:00 to 13:00 only')
    const windowed = await download('export-grid-csv')
    expect(windowed.name).toBe('corner-shop-monday-12-13h-heatmap.csv')
    expect(windowed.bytes.toString('utf8').split(/\r?\n/)[0].split(',')).toHaveLength(grid.width + 1)
    expect((await download('export-report-html')).name).toBe('corner-shop-monday-report.html')
    await byTestId('window-whole-day').click()
    await byTestId('export-window-note').waitFor({ state: 'detached' })
  })

  it('compares the two days: one colour scale, linked zoom, the difference, the areas', async () => {
    await openCompare(page)
    for (const id of ['compare-map-a', 'compare-map-b', 'compare-map-diff']) {
      await page.locator(`[data-testid="${id}"] .hm image`).first().waitFor({ state: 'attached', timeout: 30_000 })
    }
    expect(await page.locator('[data-testid^="compare-map-"] .main-svg').count()).toBeGreaterThanOrEqual(3)

    // One colour scale: both days' maps top out at the same value.
    const tops = await Promise.all(
      ['compare-map-a', 'compare-map-b'].map((id) => page.locator(`[data-testid="${id}"]`).evaluate((el) => (el as unknown as { data: Array<{ zmax: number }> }).data[0].zmax))
    )
    expect(tops[0]).toBeGreaterThan(0)
    expect(tops[1]).toBe(tops[0])
    // The difference is centred on no change.
    const diff = await page.locator('[data-testid="compare-map-diff"]').evaluate((el) => (el as unknown as { data: Array<{ zmin: number; zmax: number; zmid: number }> }).data[0])
    expect(diff.zmid).toBe(0)
    expect(diff.zmin).toBeCloseTo(-diff.zmax)
    expect(await byTestId('difference-legend').textContent()).toContain('Red: people spent more time here on Tuesday')

    // The areas on both days, with the change in points.
    await expect.poll(() => byTestId('compare-zone-row').count()).toBe(2)
    const rows = await byTestId('compare-zone-row').allTextContents()
    expect(rows[0]).toContain('checkout')
    expect(rows[1]).toContain('window display')
    for (const change of await byTestId('compare-zone-change').allTextContents()) expect(change).toMatch(/^([+\u2212]\d+\.\d points|no change)$/)

    // Zoom on the first map: the others show the same part of the shop.
    const box = await plotArea('compare-map-a')
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.65, { steps: 6 })
    await page.mouse.up()
    await expect.poll(async () => (await axisRanges('compare-map-a')).x[1] - (await axisRanges('compare-map-a')).x[0]).toBeLessThan(grid.width * 0.8)
    const zoomedA = await axisRanges('compare-map-a')
    // The others show the same part of the shop: the same centre, and at least the same area (a
    // map of another shape widens one axis to keep the picture's proportions).
    for (const other of ['compare-map-b', 'compare-map-diff']) {
      await expect.poll(async () => showsSameView(await axisRanges(other), zoomedA), { timeout: 10_000 }).toBe(true)
    }
    // Double-click the difference map: all three show the whole picture again.
    const diffBox = await plotArea('compare-map-diff')
    await page.mouse.dblclick(diffBox.x + diffBox.width / 2, diffBox.y + diffBox.height / 2)
    const whole = { x: [-0.5, grid.width - 0.5], y: [grid.height - 0.5, -0.5] }
    for (const id of ['compare-map-a', 'compare-map-b', 'compare-map-diff']) {
      await expect.poll(async () => showsSameView(await axisRanges(id), whole), { timeout: 10_000 }).toBe(true)
    }

    // A time window applies to both days.
    await byTestId('compare-window-from').selectOption('15')
    await byTestId('compare-window-empty').waitFor()
    expect(await byTestId('compare-window-empty').textContent()).toContain('no footage from 15:00 to 24:00 on Monday and Tuesday')
    await byTestId('compare-window-from').selectOption('12')
    await byTestId('compare-window-to').selectOption('13')
    await expect.poll(() => byTestId('compare-days').textContent()).toContain('Showing 12:00 to 13:00')
    await page.locator('[data-testid="compare-map-diff"] .hm image').first().waitFor({ state: 'attached' })

    await screenshot(page, 'compare')
  })

  it('made no console errors, no CSP violations and no outside requests', async () => {
    expect(await cspViolations(page)).toEqual([])
    expect(log.consoleErrors).toEqual([])
    expect(log.foreignRequests).toEqual([])
  })
})

// How the app's own pages lead to the results views: the project from the projects page, the day
// from the list of days and its Results step; the comparison from "Compare days".
async function openResults(page: Page, project: Project, dayName: string): Promise<void> {
  if (!(await page.getByTestId('project-name').isVisible())) {
    await page.getByTestId('project-item').filter({ hasText: project.name }).click()
    await page.getByTestId('project-name').waitFor()
  }
  const day = project.days.find((d) => d.name === dayName)
  if (!day) throw new Error(`no day called ${dayName}`)
  await page.locator(`[data-testid="day-item"][data-day-id="${day.id}"]`).click()
  await expect.poll(() => page.getByTestId('day-heading').textContent()).toBe(dayName)
  await page.getByTestId('step-results').click()
  await page.getByTestId('day-results').waitFor()
}

async function openCompare(page: Page): Promise<void> {
  await page.getByTestId('open-compare').click()
  await page.getByTestId('compare-days').waitFor()
}
