// The Electron bridge as the page uses it: the native file dialog's answer is checked like any
// answer from another process, and a bridge without dialogs leaves the page its own picker.
import { describe, expect, it } from 'vitest'
import type { DwellmapBridge, PickKind } from '../../src/shared/app-api'
import { bridgeClient } from '../../src/renderer/src/lib/app-client'

function bridge(pickPaths: (kind: PickKind) => Promise<unknown>): DwellmapBridge {
  return {
    call: () => Promise.reject(new Error('no calls in this test')),
    onEvent: () => () => {},
    pathForFile: () => '/dropped.mp4',
    pickPaths: pickPaths as DwellmapBridge['pickPaths']
  }
}

describe('the native file dialog through the bridge', () => {
  it('passes the kind on and gives the paths picked', async () => {
    const asked: PickKind[] = []
    const client = bridgeClient(bridge(async (kind) => {
      asked.push(kind)
      return kind === 'folder' ? ['/footage/monday'] : ['/footage/a.mp4', '/footage/b.mp4']
    }))
    expect(client.host).toBe('electron')
    expect(await client.pickPaths?.('files')).toEqual(['/footage/a.mp4', '/footage/b.mp4'])
    expect(await client.pickPaths?.('folder')).toEqual(['/footage/monday'])
    expect(asked).toEqual(['files', 'folder'])
  })

  it('refuses an answer that is not a list of paths', async () => {
    const client = bridgeClient(bridge(async () => [42]))
    await expect(client.pickPaths?.('files')).rejects.toThrow('The file dialog sent something this page does not understand.')
    await expect(bridgeClient(bridge(async () => ({ path: '/a.mp4' }))).pickPaths?.('files')).rejects.toThrow(/does not understand/)
  })

  it('says what the main process refused, without Electron’s wrapping', async () => {
    const client = bridgeClient(bridge(() => Promise.reject(new Error("Error invoking remote method 'dwellmap:pick': Error: the disk is not there"))))
    await expect(client.pickPaths?.('files')).rejects.toThrow(/^the disk is not there$/)
  })

  it('has no dialogs when the bridge offers none (an older preload)', () => {
    const older: Partial<DwellmapBridge> = bridge(async () => [])
    delete older.pickPaths
    expect(bridgeClient(older as DwellmapBridge).pickPaths).toBeNull()
  })
})
