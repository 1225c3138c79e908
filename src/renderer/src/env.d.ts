// The Electron preload exposes the API as window.dwellmap; in a plain browser it is absent.
import type { DwellmapApi } from '../../shared/api'

declare global {
  interface Window {
    dwellmap?: DwellmapApi
  }
}

export {}
