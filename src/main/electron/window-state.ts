// Remembers the window's size and place between launches (userData/window-state.json).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { app, screen, type BrowserWindow } from 'electron'
import { fitWindowState, parseWindowState, type WindowState } from '../services/window-bounds'
import { writeFileAtomicSync } from '../runtime/atomic-write'

function statePath(): string {
  return join(app.getPath('userData'), 'window-state.json')
}

/** Must run after the app is ready (it asks the screen module about displays). */
export function loadWindowState(): WindowState {
  let text: string | null = null
  try {
    text = readFileSync(statePath(), 'utf8')
  } catch {
    // First launch.
  }
  return fitWindowState(parseWindowState(text), screen.getAllDisplays().map((d) => d.workArea))
}

/** Saves the window's normal (not maximized) bounds when it closes. */
export function trackWindowState(win: BrowserWindow): void {
  win.on('close', () => {
    const bounds = win.getNormalBounds()
    const state: WindowState = { ...bounds, maximized: win.isMaximized() }
    try {
      writeFileAtomicSync(statePath(), JSON.stringify(state) + '\n')
    } catch (error) {
      console.error('could not save the window state:', error)
    }
  })
}
