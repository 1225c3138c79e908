// The empty shop as the fixed camera sees it, painted once per clip into an RGB24 buffer: wall,
// shelves full of goods, a tiled floor in perspective, a door and a counter. Texture and edges
// matter: the analysis must find people against a busy background, not a flat one.
import { BACK_SHELF, COUNTER, FLOOR_PLANS, FLOOR_TOP, type Layout } from './layout'
import { mulberry32, pick, uniform, type Rng } from './random'

export type Rgb = readonly [number, number, number]

/** The shop is the same every day: its texture does not depend on a clip's seed. */
const SHOP_SEED = 0x5eed5a0b

const WALL: Rgb = [196, 190, 178]
const CEILING: Rgb = [150, 150, 156]
const LAMP: Rgb = [250, 250, 238]
const WOOD_DARK: Rgb = [92, 70, 52]
const WOOD_LIGHT: Rgb = [152, 122, 92]
const SHELF_BACK: Rgb = [122, 112, 102]
const TILE: Rgb = [178, 171, 160]
const GROUT: Rgb = [136, 130, 121]
const BANNER: Rgb = [200, 32, 30]
const BANNER_STRIPE: Rgb = [242, 202, 44]
const DOOR_FRAME: Rgb = [70, 70, 76]
const DOOR_GLASS: Rgb = [96, 112, 122]
const COUNTER_TOP: Rgb = [206, 200, 190]
const COUNTER_FRONT: Rgb = [122, 86, 60]
const REGISTER: Rgb = [44, 44, 50]
const SCREEN: Rgb = [80, 140, 160]
const GOODS_MUTED: Rgb[] = [
  [150, 120, 90], [110, 130, 150], [170, 160, 120], [120, 140, 110], [160, 110, 110],
  [200, 195, 180], [90, 100, 120], [180, 150, 100], [130, 120, 140], [100, 90, 80]
]
const GOODS_BRIGHT: Rgb[] = [
  [230, 60, 50], [250, 200, 40], [60, 160, 230], [240, 120, 30], [250, 240, 220], [60, 190, 90]
]

/** Paints in frame-relative coordinates so that every resolution shows the same shop. */
class Canvas {
  readonly data: Buffer

  constructor(readonly width: number, readonly height: number) {
    this.data = Buffer.alloc(width * height * 3)
  }

  px(rx: number): number {
    return Math.min(this.width, Math.max(0, Math.round(rx * this.width)))
  }

  py(ry: number): number {
    return Math.min(this.height, Math.max(0, Math.round(ry * this.height)))
  }

  rect(rx0: number, ry0: number, rx1: number, ry1: number, color: Rgb): void {
    this.fillPx(this.px(rx0), this.py(ry0), this.px(rx1), this.py(ry1), color)
  }

  /** End coordinates are exclusive. */
  fillPx(x0: number, y0: number, x1: number, y1: number, [r, g, b]: Rgb): void {
    for (let y = y0; y < y1; y++) {
      for (let i = (y * this.width + x0) * 3, end = (y * this.width + x1) * 3; i < end; i += 3) {
        this.data[i] = r
        this.data[i + 1] = g
        this.data[i + 2] = b
      }
    }
  }
}

export function renderScene(width: number, height: number, layout: Layout): Buffer {
  const canvas = new Canvas(width, height)
  const rng = mulberry32(SHOP_SEED)
  paintWallAndCeiling(canvas)
  paintFloor(canvas)
  paintBackShelf(canvas, FLOOR_PLANS[layout].promoSection)
  paintDoor(canvas)
  paintCounter(canvas)
  addGrainAndVignette(canvas, rng)
  return canvas.data
}

function paintWallAndCeiling(canvas: Canvas): void {
  const wallBottom = canvas.py(FLOOR_TOP)
  for (let y = 0; y < wallBottom; y++) {
    // Slightly darker towards the ceiling, away from the lamps' light on the goods.
    const shade = 0.9 + 0.1 * (y / wallBottom)
    canvas.fillPx(0, y, canvas.width, y + 1, scale(WALL, shade))
  }
  canvas.rect(0, 0, 1, 0.06, CEILING)
  for (let i = 0; i < 4; i++) canvas.rect(0.1 + i * 0.23, 0.015, 0.22 + i * 0.23, 0.04, LAMP)
}

/** Square tiles seen in perspective: rows get closer together and columns converge upwards. */
function paintFloor(canvas: Canvas): void {
  const { width, height, data } = canvas
  const horizon = -0.25 * height
  const line = Math.max(1, Math.round(width / 640))
  const tileAt = (x: number, y: number): [number, number] => {
    const depth = (y - horizon) / height
    return [Math.floor(9 / depth), Math.floor(((x - width / 2) / (depth * height)) * 4)]
  }
  for (let y = canvas.py(FLOOR_TOP); y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [row, col] = tileAt(x, y)
      const [rowAbove] = tileAt(x, y - line)
      const [, colLeft] = tileAt(x - line, y)
      const color = row !== rowAbove || col !== colLeft ? GROUT : scale(TILE, 0.95 + 0.1 * hash01(row, col))
      const i = (y * width + x) * 3
      data[i] = color[0]
      data[i + 1] = color[1]
      data[i + 2] = color[2]
    }
  }
}

function paintBackShelf(canvas: Canvas, promoSection: number): void {
  const { x0, x1, y0, y1, sections } = BACK_SHELF
  const sectionWidth = (x1 - x0) / sections
  const levels = 4
  for (let s = 0; s < sections; s++) {
    // Each section has its own random stream, so moving the promotion leaves the others alone.
    const rng = mulberry32(SHOP_SEED + 101 * (s + 1))
    const promo = s === promoSection
    const sx0 = x0 + s * sectionWidth
    const sx1 = sx0 + sectionWidth
    canvas.rect(sx0, y0, sx1, y1, WOOD_DARK)
    canvas.rect(sx0 + 0.006, y0 + 0.01, sx1 - 0.006, y1 - 0.005, SHELF_BACK)
    const levelHeight = (y1 - y0 - 0.015) / levels
    for (let level = 0; level < levels; level++) {
      const boardTop = y0 + 0.01 + (level + 1) * levelHeight - 0.012
      let x = sx0 + 0.008
      while (true) {
        const w = uniform(rng, 0.008, 0.022)
        if (x + w > sx1 - 0.008) break
        const h = uniform(rng, 0.55, 0.9) * (levelHeight - 0.012)
        paintProduct(canvas, x, boardTop - h, x + w, boardTop, pick(rng, promo ? GOODS_BRIGHT : GOODS_MUTED))
        x += w + uniform(rng, 0, 0.004)
      }
      canvas.rect(sx0 + 0.006, boardTop, sx1 - 0.006, boardTop + 0.012, WOOD_LIGHT)
    }
    if (promo) {
      canvas.rect(sx0 + 0.01, 0.07, sx1 - 0.01, 0.115, BANNER)
      canvas.rect(sx0 + 0.03, 0.085, sx1 - 0.03, 0.1, BANNER_STRIPE)
    }
  }
}

/** A box of goods: a label band and a shaded left edge give it visible structure. */
function paintProduct(canvas: Canvas, x0: number, y0: number, x1: number, y1: number, color: Rgb): void {
  canvas.rect(x0, y0, x1, y1, color)
  canvas.rect(x0, y0 + 0.3 * (y1 - y0), x1, y0 + 0.45 * (y1 - y0), scale(color, 1.25))
  canvas.fillPx(canvas.px(x0), canvas.py(y0), Math.min(canvas.px(x0) + 1, canvas.px(x1)), canvas.py(y1), scale(color, 0.6))
}

function paintDoor(canvas: Canvas): void {
  canvas.rect(0, 0.5, 0.04, 0.8, DOOR_FRAME)
  canvas.rect(0, 0.52, 0.03, 0.78, DOOR_GLASS)
}

function paintCounter(canvas: Canvas): void {
  const { x0, x1, y0, y1 } = COUNTER
  canvas.rect(x0, y0 + 0.04, x1, y1, COUNTER_FRONT)
  for (let x = x0 + 0.03; x < x1; x += 0.03) canvas.rect(x, y0 + 0.05, x + 0.003, y1 - 0.01, scale(COUNTER_FRONT, 0.7))
  canvas.rect(x0, y0, x1, y0 + 0.04, COUNTER_TOP)
  canvas.rect(0.88, y0 - 0.06, 0.94, y0 + 0.005, REGISTER)
  canvas.rect(0.89, y0 - 0.05, 0.93, y0 - 0.02, SCREEN)
}

/** Fine grain (fixed: it is in the scene, not sensor noise) and the darker corners of a cheap lens. */
function addGrainAndVignette(canvas: Canvas, rng: Rng): void {
  const { width, height, data } = canvas
  for (let y = 0; y < height; y++) {
    const dy = (y + 0.5) / height - 0.5
    for (let x = 0; x < width; x++) {
      const dx = (x + 0.5) / width - 0.5
      const factor = 1 - 0.5 * (dx * dx + dy * dy)
      const grain = (rng() - 0.5) * 8
      const i = (y * width + x) * 3
      for (let c = 0; c < 3; c++) data[i + c] = clampByte(data[i + c] * factor + grain)
    }
  }
}

function scale([r, g, b]: Rgb, factor: number): Rgb {
  return [clampByte(r * factor), clampByte(g * factor), clampByte(b * factor)]
}

function clampByte(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)
}

/** A stable pseudo-random value in [0, 1) per tile, without a generator per pixel. */
function hash01(a: number, b: number): number {
  let h = Math.imul(a, 0x27d4eb2d) ^ Math.imul(b, 0x165667b1) ^ SHOP_SEED
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296
}
