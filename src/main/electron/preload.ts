// Runs in the sandboxed renderer before the page: exposes DwellmapApi as window.dwellmap and
// nothing else (no ipcRenderer, no Node). Responses are validated by the renderer's api client.
import { contextBridge, ipcRenderer } from 'electron'
import type { DwellmapApi } from '../../shared/api'
import { CHANNELS } from './channels'

const api: DwellmapApi = {
  listResults: () => ipcRenderer.invoke(CHANNELS.listResults),
  getResult: (id) => ipcRenderer.invoke(CHANNELS.getResult, id)
}

contextBridge.exposeInMainWorld('dwellmap', api)
