// The browser host: the same app as the Electron window, served to a local browser over HTTP on
// 127.0.0.1. It lets Dwellmap run (and be tested end to end) without Electron, e.g. on a
// back-office box without a display. Guarded by a per-launch token and a Host check.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ResultIdSchema } from '../../shared/api'
import { SECURITY_HEADERS } from '../services/csp'
import { decodeUrlPath } from '../services/contained-path'
import { listResults, loadResultView, ResultError } from '../services/results'
import { contentTypeFor, resolveStaticPath } from '../services/static-files'
import { bearerMatches, hostAllowed, newToken } from './auth'

export interface BrowserHostOptions {
  resultsRoot: string
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 (the default) picks a free port. */
  port?: number
}

export interface BrowserHost {
  /** What to give the user: the token rides in the fragment, never sent to a server or in a Referer. */
  url: string
  token: string
  port: number
  close(): Promise<void>
}

/** Thrown inside handlers to answer with a status and a plain message. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

const LOOPBACK = '127.0.0.1'

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = newToken()
  let port = 0
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a hostile page that got its name pointed at 127.0.0.1 still sends its own Host.
    if (!hostAllowed(req.headers.host, port)) throw new HttpError(421, 'unexpected Host header')
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed')
    const url = parseRequestUrl(req.url, port)
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      if (!bearerMatches(req.headers.authorization, token)) throw new HttpError(401, 'missing or wrong access token')
      return sendJson(res, 200, await api(url.pathname))
    }
    return serveStatic(req, res, url.pathname)
  }

  async function api(pathname: string): Promise<unknown> {
    if (pathname === '/api/results') return listResults(options.resultsRoot)
    const one = /^\/api\/results\/([^/]+)$/.exec(pathname)
    if (one) {
      const id = ResultIdSchema.safeParse(decodeUrlPath(one[1]))
      if (!id.success) throw new HttpError(400, 'invalid result id')
      return loadResultView(options.resultsRoot, id.data)
    }
    throw new HttpError(404, 'no such API route')
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const file = resolveStaticPath(options.rendererDir, pathname)
    if (!file) throw new HttpError(403, 'forbidden path')
    const info = await stat(file).catch(() => null)
    if (!info?.isFile()) throw new HttpError(404, 'not found')
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': contentTypeFor(file),
      'Content-Length': info.size,
      'Cache-Control': 'no-cache'
    })
    if (req.method === 'HEAD') return void res.end()
    await new Promise<void>((resolve, reject) => {
      createReadStream(file).on('error', reject).pipe(res).on('finish', resolve).on('error', reject)
    })
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    // Loopback only: the footage and its heatmaps never leave this machine.
    server.listen(options.port ?? 0, LOOPBACK, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://${LOOPBACK}:${port}/#token=${token}`,
    token,
    port,
    close: () => closeServer(server)
  }
}

function parseRequestUrl(raw: string | undefined, port: number): URL {
  try {
    return new URL(raw ?? '/', `http://${LOOPBACK}:${port}`)
  } catch {
    throw new HttpError(400, 'malformed request URL')
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store'
  })
  res.end(text)
}

/** Errors go out as {error: message} with a fitting status; never a stack trace. */
function sendError(res: ServerResponse, error: unknown): void {
  let status = 500
  let message = 'internal error'
  if (error instanceof HttpError) {
    status = error.status
    message = error.message
  } else if (error instanceof ResultError) {
    status = error.code === 'invalid-id' ? 400 : error.code === 'not-found' ? 404 : 500
    message = error.message
  } else {
    // Unexpected: keep details (paths, stacks) on this machine's console, not in the response.
    console.error('browser host:', error)
  }
  if (res.headersSent) return void res.destroy()
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer')
  sendJson(res, status, { error: message })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    // Browsers keep idle connections open; drop them so close() does not hang.
    server.closeAllConnections()
  })
}
