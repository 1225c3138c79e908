// `dwellmap serve`: the app in a browser, on 127.0.0.1 only, until Ctrl+C.
import { resolve } from 'node:path'
import { startAppHost } from '../web/app-host'
import { builtPaths } from './paths'


export interface ServeOptions {
  projects: string
  results: string
  port: number
  ffmpeg?: string
}

export async function serve(o: ServeOptions): Promise<void> {
  const host = await startAppHost({
    projectsRoot: o.projects,
    resultsRoot: o.results,
    rendererDir: builtPaths.renderer,
    workerEntry: builtPaths.worker,
    port: o.port,
    ffmpeg: o.ffmpeg
  })
  process.stdout.write(
    `Dwellmap is running. Open this address in a browser on this computer:\n\n  ${host.url}\n\n` +
      `Projects: ${resolve(o.projects)}\nResults of \`dwellmap analyze\`: ${resolve(o.results)}\nffmpeg: ${host.ffmpegSource}\nPress Ctrl+C to stop.\n`
  )
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.stdout.write('\nStopping. Analyses still running are marked as interrupted; start them again in the app to continue.\n')
      void host.close().then(done)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
