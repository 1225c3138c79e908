// The system's own open dialogs for "Add footage…" and "Add folder…": shown for our page only,
// with what to ask and the check on the answer kept in services/open-dialog (tested under Node).
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type OpenDialogOptions } from 'electron'
import { PickKindSchema } from '../../shared/app-api'
import { openDialogRequest, pickedPaths } from '../services/open-dialog'
import { assertTrustedSender, IpcRejected } from '../services/shell-guards'
import { CHANNELS } from './channels'

export function registerDialogs(): void {
  ipcMain.handle(CHANNELS.pick, async (event: IpcMainInvokeEvent, kind: unknown): Promise<string[]> => {
    assertTrustedSender(event.senderFrame?.url)
    const parsed = PickKindSchema.safeParse(kind)
    if (!parsed.success) throw new IpcRejected('unknown kind of file dialog')
    const options: OpenDialogOptions = openDialogRequest(parsed.data)
    // Attached to the window that asked, so that it stays in front of it.
    const owner = BrowserWindow.fromWebContents(event.sender)
    const answer = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options)
    return pickedPaths(answer)
  })
}
