// app:// serves the built renderer to the window: a real origin for the CSP and the IPC sender
// check, and no file:// (which would let a page read any local file). Paths are checked in
// shell-guards, which is tested under Node.
import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { SECURITY_HEADERS } from '../services/csp'
import { APP_SCHEME, resolveAppRequest } from '../services/shell-guards'
import { contentTypeFor } from '../services/static-files'

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }
  ])
}

/** Must run after the app is ready. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppRequest(request.url, rendererDir)
    if (!file) return new Response('forbidden', { status: 403 })
    try {
      const body = await readFile(file)
      return new Response(body, { headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) } })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
}
