// Where the window opens: where it was last closed, if that place is still on a screen (a
// laptop unplugged from its second monitor must not open the window off screen).
import { z } from 'zod'

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export const WindowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false)
})
export type WindowState = z.infer<typeof WindowStateSchema>

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 860, maximized: false }
export const MIN_WINDOW = { width: 800, height: 560 } as const

/** A saved state, or null when it is missing or not ours. */
export function parseWindowState(text: string | null): WindowState | null {
  if (!text) return null
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(text))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))
  }
}

/**
 * The saved state made to fit today's screens: no larger than the biggest work area, and its
 * position kept only when enough of the window's top (its title bar) is on some screen.
 */
export function fitWindowState(saved: WindowState | null, workAreas: Rect[]): WindowState {
  const state = saved ?? DEFAULT_WINDOW
  const maxWidth = Math.max(MIN_WINDOW.width, ...workAreas.map((a) => a.width))
  const maxHeight = Math.max(MIN_WINDOW.height, ...workAreas.map((a) => a.height))
  const width = Math.min(Math.max(state.width, MIN_WINDOW.width), maxWidth)
  const height = Math.min(Math.max(state.height, MIN_WINDOW.height), maxHeight)
  const fitted: WindowState = { width, height, maximized: state.maximized }
  if (state.x === undefined || state.y === undefined) return fitted
  const titleBar: Rect = { x: state.x, y: state.y, width, height: 40 }
  const visible = workAreas.some((area) => {
    const o = overlap(titleBar, area)
    return o.width >= 120 && o.height >= 20
  })
  return visible ? { ...fitted, x: state.x, y: state.y } : fitted
}
