// `dwellmap serve`: the app in a browser, on 127.0.0.1 only, until Ctrl+C.
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { startBrowserHost } from '../web/server'
import { builtPaths } from './paths'

export async function serve(o: { results: string; port: number }): Promise<void> {
  const resultsRoot = resolve(o.results)
  await mkdir(resultsRoot, { recursive: true })
  const host = await startBrowserHost({ resultsRoot, rendererDir: builtPaths.renderer, port: o.port })
  process.stdout.write(`Dwellmap is running. Open this address in a browser on this computer:\n\n  ${host.url}\n\nShowing results from ${resultsRoot}. Press Ctrl+C to stop.\n`)
  await new Promise<void>((done) => {
    const stop = (): void => {
      void host.close().then(done)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
