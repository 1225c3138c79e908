// Runs in the sandboxed renderer before the page: exposes the DwellmapBridge as window.dwellmap
// and nothing else (no ipcRenderer, no Node). The main process validates every call and result.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import type { AppEvent, DwellmapBridge } from '../../shared/app-api'
import { CHANNELS } from './channels'

const bridge: DwellmapBridge = {
  call: (method, ...args) => ipcRenderer.invoke(CHANNELS.call, method, args),
  onEvent(listener) {
    const handler = (_event: IpcRendererEvent, appEvent: AppEvent): void => listener(appEvent)
    ipcRenderer.on(CHANNELS.event, handler)
    return () => {
      ipcRenderer.removeListener(CHANNELS.event, handler)
    }
  },
  // Dropped files: the sandboxed page sees File objects, the app needs their paths.
  pathForFile: (file) => webUtils.getPathForFile(file),
  pickPaths: (kind) => ipcRenderer.invoke(CHANNELS.pick, kind)
}

contextBridge.exposeInMainWorld('dwellmap', bridge)
