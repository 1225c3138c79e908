// The IPC side of the AppApi. Every call is checked before it reaches a service: the sending
// frame must be our app:// page, the method must be in the API table and the arguments must
// match its schema; the result is checked on the way back too.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import type { AppApi, AppEvent } from '../../shared/app-api'
import { invokeChecked, parseCall } from '../services/api-dispatch'
import { assertTrustedSender, isTrustedSender } from '../services/shell-guards'
import { CHANNELS } from './channels'

export function registerIpc(api: AppApi): void {
  ipcMain.handle(CHANNELS.call, (event: IpcMainInvokeEvent, method: unknown, args: unknown) => {
    assertTrustedSender(event.senderFrame?.url)
    const call = parseCall(method, args)
    return invokeChecked(api, call.method, call.args)
  })
}

/** Sends an event to a window, if it still shows our own page. */
export function sendEvent(contents: WebContents | null | undefined, event: AppEvent): void {
  if (!contents || contents.isDestroyed() || !isTrustedSender(contents.getURL())) return
  contents.send(CHANNELS.event, event)
}
