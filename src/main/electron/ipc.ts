// The IPC side of DwellmapApi. Every call is checked twice before it reaches a service: the
// sending frame must be our app:// page, and the payload must match the shared schemas.
import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { listResults, loadResultView } from '../services/results'
import { assertTrustedSender, parseGetPayload, parseListPayload } from '../services/shell-guards'
import { CHANNELS } from './channels'

export function registerIpc(resultsRoot: string): void {
  ipcMain.handle(CHANNELS.listResults, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    assertTrustedSender(event.senderFrame?.url)
    parseListPayload(args)
    return listResults(resultsRoot)
  })
  ipcMain.handle(CHANNELS.getResult, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    assertTrustedSender(event.senderFrame?.url)
    return loadResultView(resultsRoot, parseGetPayload(args))
  })
}
