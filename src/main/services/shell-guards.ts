// The Electron shell's checks, kept free of any `electron` import so they run (and are tested)
// under plain Node: who may call our IPC and which files app:// may serve. What they may send is
// checked by api-dispatch (parseCall) against the shared API table.
import { resolveStaticPath } from './static-files'

export const APP_SCHEME = 'app'
export const APP_HOST = 'dwellmap'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** Only frames showing our own renderer (app://dwellmap/...) may use the IPC API. */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  if (!frameUrl) return false
  let url: URL
  try {
    url = new URL(frameUrl)
  } catch {
    return false
  }
  // Compare parts, not prefixes: "app://dwellmap.evil/" or "app://dwellmap@x/" must fail.
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.username === '' && url.password === ''
}

export class IpcRejected extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'IpcRejected'
  }
}

export function assertTrustedSender(frameUrl: string | null | undefined): void {
  if (!isTrustedSender(frameUrl)) throw new IpcRejected('request from an untrusted page was refused')
}

/** The renderer file an app:// request names, or null for foreign hosts, schemes and escapes. */
export function resolveAppRequest(requestUrl: string, rendererDir: string): string | null {
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  return resolveStaticPath(rendererDir, url.pathname)
}
