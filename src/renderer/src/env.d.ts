// The Electron preload exposes the app as window.dwellmap (DwellmapBridge); in a plain browser it
// is absent, and the page talks HTTP to the browser host instead.
import type { DwellmapBridge } from '../../shared/app-api'

declare global {
  interface Window {
    dwellmap?: Partial<DwellmapBridge>
  }
}

export {}
