// Serving the built renderer: map a request path to a file inside the renderer folder, and name
// its content type. Used by the browser host and the app:// protocol alike.
import { extname } from 'node:path'
import { decodeUrlPath, resolveInside } from './contained-path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8'
}

/** Content type by extension; unknown files go out as opaque bytes (with nosniff, never run). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file a URL path (still percent-encoded, as in URL.pathname) names inside `rendererDir`,
 * or null when it is malformed or would leave the folder. '/' is the app's index.html.
 */
export function resolveStaticPath(rendererDir: string, pathname: string): string | null {
  const decoded = decodeUrlPath(pathname)
  if (decoded === null) return null
  const relativePath = decoded === '' || decoded.endsWith('/') ? decoded + 'index.html' : decoded
  return resolveInside(rendererDir, relativePath)
}
