// The native open dialogs of the Electron shell, in their parts that run without Electron: what
// the dialog is asked for, and the check on the paths it answers.
import { describe, expect, it } from 'vitest'
import { VIDEO_EXTENSIONS } from '../../src/main/services/clip-import'
import { openDialogRequest, pickedPaths } from '../../src/main/services/open-dialog'
import { IpcRejected } from '../../src/main/services/shell-guards'
import { MAX_PICKED_PATHS } from '../../src/shared/app-api'

describe('what the dialog is asked for', () => {
  it('picks several video files, offering all files too', () => {
    const files = openDialogRequest('files')
    expect(files.properties).toEqual(['openFile', 'multiSelections'])
    expect(files.properties).not.toContain('openDirectory')
    expect(files.filters[0].extensions).toContain('mp4')
    expect(files.filters[0].extensions).toHaveLength(VIDEO_EXTENSIONS.size)
    expect(files.filters[0].extensions.every((e) => !e.startsWith('.'))).toBe(true)
    expect(files.filters[1]).toEqual({ name: 'All files', extensions: ['*'] })
  })

  it('picks folders, not files', () => {
    const folder = openDialogRequest('folder')
    expect(folder.properties).toEqual(['openDirectory', 'multiSelections'])
    expect(folder.buttonLabel).toBe('Add folder')
  })
})

describe('what the dialog answered', () => {
  it('gives nothing when cancelled, whatever came with it', () => {
    expect(pickedPaths({ canceled: true, filePaths: ['/footage/a.mp4'] })).toEqual([])
    expect(pickedPaths({ canceled: true, filePaths: 'junk' })).toEqual([])
  })

  it('gives the full paths picked, each once', () => {
    expect(pickedPaths({ canceled: false, filePaths: ['/footage/a.mp4', '/footage/b.mp4', '/footage/a.mp4'] })).toEqual(['/footage/a.mp4', '/footage/b.mp4'])
    expect(pickedPaths({ canceled: false, filePaths: [] })).toEqual([])
    // A day of one-minute clips, picked one by one.
    const day = Array.from({ length: 1440 }, (_, i) => `/footage/${i}.mp4`)
    expect(pickedPaths({ canceled: false, filePaths: day })).toEqual(day)
  })

  it.each([
    ['not a list', '/footage/a.mp4'],
    ['a number in the list', ['/footage/a.mp4', 3]],
    ['an empty path', ['']],
    ['a relative path', ['footage/a.mp4']],
    ['a path with a NUL byte', ['/footage/a.mp4\0.txt']],
    ['too many paths', Array.from({ length: MAX_PICKED_PATHS + 1 }, (_, i) => `/footage/${i}.mp4`)]
  ])('refuses %s', (_what, filePaths) => {
    expect(() => pickedPaths({ canceled: false, filePaths })).toThrow(IpcRejected)
  })
})
