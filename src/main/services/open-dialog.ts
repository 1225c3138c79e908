// The native "Add footage…" / "Add folder…" dialogs, without Electron: what to ask the system's
// dialog for, and the check on what it answers (paths come back from outside our code). The
// Electron shell (electron/dialogs.ts) only shows the dialog between these two.
import { isAbsolute } from 'node:path'
import { PickedPathsSchema, type PickKind } from '../../shared/app-api'
import { VIDEO_EXTENSIONS } from './clip-import'
import { IpcRejected } from './shell-guards'

export type DialogProperty = 'openFile' | 'openDirectory' | 'multiSelections'

export interface OpenDialogRequest {
  title: string
  buttonLabel: string
  properties: DialogProperty[]
  filters: Array<{ name: string; extensions: string[] }>
}

export function openDialogRequest(kind: PickKind): OpenDialogRequest {
  if (kind === 'folder') {
    return { title: 'Add the folders of this day’s footage', buttonLabel: 'Add folder', properties: ['openDirectory', 'multiSelections'], filters: [] }
  }
  const extensions = [...VIDEO_EXTENSIONS].map((e) => e.slice(1))
  return {
    title: 'Add this day’s video files',
    buttonLabel: 'Add footage',
    properties: ['openFile', 'multiSelections'],
    // "All files" too: recorders name their files oddly, and a wrong one is listed with its problem.
    filters: [{ name: 'Video files', extensions }, { name: 'All files', extensions: ['*'] }]
  }
}

/** What the dialog answered, as absolute paths (each once); none when it was cancelled. */
export function pickedPaths(answer: { canceled: boolean; filePaths: unknown }): string[] {
  if (answer.canceled) return []
  const parsed = PickedPathsSchema.safeParse(answer.filePaths)
  if (!parsed.success) throw new IpcRejected('the file dialog answered something that is not a list of paths')
  const bad = parsed.data.find((p) => !isAbsolute(p) || p.includes('\0'))
  if (bad !== undefined) throw new IpcRejected(`the file dialog answered a path that is not a full path: ${JSON.stringify(bad)}`)
  return [...new Set(parsed.data)]
}
