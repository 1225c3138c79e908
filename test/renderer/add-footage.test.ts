// Adding a day of many files (600 one-minute clips for 10 hours): folders opened to count their
// files, the files sent in batches each within the app's per-request limit, with the count after
// each, through the renderer's real client (which checks every request against APP_API).
import { describe, expect, it } from 'vitest'
import { ADD_CLIPS_MAX, APP_API, type AppMethod, type DwellmapBridge } from '../../src/shared/app-api'
import type { Project } from '../../src/shared/project'
import { ADD_BATCH, addInBatches, filesOf } from '../../src/renderer/src/lib/add-footage'
import { bridgeClient } from '../../src/renderer/src/lib/app-client'

const FOLDER = '/footage/monday'
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `${FOLDER}/cam1_${String(i).padStart(4, '0')}.mp4`)

/** A bridge answering addClips with a project holding every path sent so far; it records the calls. */
function fakeBridge(failOnCall = 0): { bridge: DwellmapBridge; calls: string[][] } {
  const calls: string[][] = []
  const sent: string[] = []
  const call = async (method: AppMethod, ...args: unknown[]): Promise<unknown> => {
    if (method === 'browse') {
      const dir = args[0] as string
      if (dir !== FOLDER && dir !== '/footage/empty') throw new Error(`The folder ${dir} cannot be opened: it is not a folder.`)
      const entries = dir === FOLDER ? [...names(510).map((path) => ({ name: path.slice(FOLDER.length + 1), path, kind: 'video' as const })), { name: 'notes.txt', path: `${FOLDER}/notes.txt`, kind: 'other' as const }] : []
      return { dir, parent: '/footage', entries }
    }
    if (method !== 'addClips') throw new Error(`unexpected ${method}`)
    const paths = args[2] as string[]
    calls.push(paths)
    if (calls.length === failOnCall) throw new Error("Error invoking remote method 'dwellmap:call': Error: The disk is full.")
    sent.push(...paths)
    const clips = sent.map((path) => ({ path, bytes: 1, width: 0, height: 0, fps: null, durationSeconds: null, startedAt: null, startSource: null, problem: 'file is empty (0 bytes)' }))
    const project = {
      dwellmapProject: 1, id: 'shop', name: 'Shop', mask: null, zones: [],
      days: [{ id: 'monday', name: 'Monday', clips, reference: { kind: 'auto' }, settings: { speed: 'fast', sensitivity: 'normal' }, analysis: { status: 'never', fraction: null, message: null, finishedAt: null } }]
    }
    return APP_API.addClips.result.parse(project)
  }
  const bridge = { call, onEvent: () => () => {}, pathForFile: () => '', pickPaths: async () => [] } as unknown as DwellmapBridge
  return { bridge, calls }
}

describe('adding many files to a day', () => {
  it('sends 600 files in batches within the request limit, counting as it goes', async () => {
    const { bridge, calls } = fakeBridge()
    const api = bridgeClient(bridge).api
    // One request for all of them is refused before it is sent.
    await expect(api.addClips('shop', 'monday', names(600))).rejects.toThrow('That request could not be sent (addClips)')
    calls.length = 0
    const counts: string[] = []
    let clipsShown = 0
    const project = await addInBatches(api, 'shop', 'monday', names(600), (p: Project, { done, total }) => {
      counts.push(`${done} of ${total}`)
      clipsShown = p.days[0].clips.length
    })
    expect(ADD_BATCH).toBeLessThanOrEqual(ADD_CLIPS_MAX)
    expect(calls.every((c) => c.length <= ADD_BATCH)).toBe(true)
    expect(calls.flat()).toEqual(names(600))
    expect(counts[0]).toBe(`${ADD_BATCH} of 600`)
    expect(counts.at(-1)).toBe('600 of 600')
    expect(counts).toHaveLength(Math.ceil(600 / ADD_BATCH))
    expect(clipsShown).toBe(600)
    expect(project?.days[0].clips).toHaveLength(600)
  })

  it('stops at a batch that fails, after the ones before it', async () => {
    const { bridge, calls } = fakeBridge(3)
    const counts: number[] = []
    await expect(addInBatches(bridgeClient(bridge).api, 'shop', 'monday', names(100), (_, { done }) => counts.push(done))).rejects.toThrow('The disk is full.')
    expect(counts).toEqual([ADD_BATCH, 2 * ADD_BATCH])
    expect(calls).toHaveLength(3)
  })

  it('opens folders to count their videos, and leaves files and unreadable paths as given', async () => {
    const api = bridgeClient(fakeBridge().bridge).api
    expect(await filesOf(api, [FOLDER, '/footage/other/clip.ts'])).toEqual([...names(510), '/footage/other/clip.ts'])
    // A folder without videos is dropped beside others' files, and kept alone, for the app to say so.
    expect(await filesOf(api, ['/footage/empty', '/footage/other/clip.ts'])).toEqual(['/footage/other/clip.ts'])
    expect(await filesOf(api, ['/footage/empty'])).toEqual(['/footage/empty'])
  })
})
