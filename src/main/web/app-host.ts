// The whole browser-hosted app in one call: the back end (createAppService) with its event hub,
// served by the browser host. Used by `dwellmap serve` and by end-to-end tests.
import { resolve } from 'node:path'
import { nodeWorkerLauncher } from '../analysis/host'
import { locateFfmpeg } from '../media/ffmpeg-locator'
import { createAppService, type AppService } from '../services/app-service'
import { EventHub } from '../services/event-hub'
import { startBrowserHost, type BrowserHost } from './server'
import { makeFolder } from '../runtime/make-folder'

export interface AppHostOptions {
  projectsRoot: string
  resultsRoot: string
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** The analysis worker entry: out/main/worker.js, or src/main/analysis/worker.ts under tsx. */
  workerEntry: string
  port?: number
  /** Default: located (FFMPEG_PATH, the bundled ffmpeg, then PATH). */
  ffmpeg?: string
  ffprobe?: string
}

export interface AppHost extends BrowserHost {
  api: AppService
  events: EventHub
  /** Where ffmpeg was found, for the start-up message. */
  ffmpegSource: string
}

export async function startAppHost(o: AppHostOptions): Promise<AppHost> {
  const projectsRoot = resolve(o.projectsRoot)
  const resultsRoot = resolve(o.resultsRoot)
  await makeFolder(projectsRoot, 'the projects')
  await makeFolder(resultsRoot, 'the results')
  const located = o.ffmpeg && o.ffprobe ? null : locateFfmpeg(o.ffmpeg ?? process.env.FFMPEG_PATH)
  const ffmpeg = o.ffmpeg && o.ffprobe ? o.ffmpeg : located!.ffmpeg
  const ffprobe = o.ffmpeg && o.ffprobe ? o.ffprobe : located!.ffprobe
  const events = new EventHub()
  const api = createAppService({ projectsRoot, resultsRoot, ffmpeg, ffprobe, launchWorker: nodeWorkerLauncher(o.workerEntry), emit: events.emit })
  let host: BrowserHost
  try {
    host = await startBrowserHost({ api, events, rendererDir: o.rendererDir, port: o.port })
  } catch (error) {
    await api.dispose()
    throw error
  }
  return {
    ...host,
    api,
    events,
    ffmpegSource: located ? `${ffmpeg} (${located.source})` : ffmpeg,
    close: async () => {
      await Promise.allSettled([host.close(), api.dispose()])
    }
  }
}
