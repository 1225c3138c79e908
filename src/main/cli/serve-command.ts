// `dwellmap serve`: the app in a browser, on 127.0.0.1 only, until Ctrl+C.
import { resolve } from 'node:path'
import { lockFolder } from '../runtime/folder-lock'
import { makeFolder } from '../runtime/make-folder'
import { startAppHost } from '../web/app-host'
import { builtPaths } from './paths'

export interface ServeOptions {
  projects: string
  results: string
  port: number
  ffmpeg?: string
}

export async function serve(o: ServeOptions): Promise<void> {
  const projects = resolve(o.projects)
  // One Dwellmap per projects folder: a second would mark the first one's running analyses as
  // interrupted. A refusal is one line (commands.ts); the lock goes when this process does.
  await makeFolder(projects, 'the projects')
  const lock = lockFolder(projects)
  // Listening before anything is said: a Ctrl+C as soon as the address shows (or while starting)
  // still stops the host and releases the lock, instead of killing the process.
  const stopRequested = new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  try {
    const host = await startAppHost({
      projectsRoot: projects,
      resultsRoot: o.results,
      rendererDir: builtPaths.renderer,
      workerEntry: builtPaths.worker,
      port: o.port,
      ffmpeg: o.ffmpeg
    })
    process.stdout.write(
      `Dwellmap is running. Open this address in a browser on this computer:\n\n  ${host.url}\n\n` +
        `Projects: ${projects}\nResults of \`dwellmap analyze\`: ${resolve(o.results)}\nffmpeg: ${host.ffmpegSource}\nPress Ctrl+C to stop.\n`
    )
    await stopRequested
    process.stdout.write('\nStopping. Analyses still running are marked as interrupted; start them again in the app to continue.\n')
    await host.close()
  } finally {
    lock.release()
  }
}
