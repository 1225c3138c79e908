// The browser host: the same app as the Electron window, served to a local browser over HTTP on
// 127.0.0.1. It lets Dwellmap run (and be tested end to end) without Electron, e.g. on a
// back-office box without a display. Guarded by a per-launch token and a Host check.
//
// For the renderer's HTTP client (renderer-setup), the whole API is two routes:
//
//   POST /api/call/<method>   Authorization: Bearer <token>, Content-Type: application/json,
//                             body = the method's argument tuple as a JSON array (max 16 MB).
//                             200 -> the result as JSON. Errors -> {"error": "<one plain sentence>"}
//                             with 400 (bad arguments, or a problem the user can fix), 401 (token),
//                             404 (unknown method, or a missing project/day/result), 409 (conflict,
//                             e.g. a day being analysed or a result being rewritten; also a frame
//                             request superseded by a newer one for the same view), 413 (body too
//                             large), 415 (not JSON), 500.
//   GET  /api/events          Authorization: Bearer <token>. Server-sent events: every AppEvent
//                             as one `data: <json>` message. EventSource cannot send the header,
//                             so read it with fetch() and a stream reader (split on blank lines,
//                             take the `data:` lines, ignore `:` comment lines, which are
//                             keep-alives). The token is NOT accepted in a query parameter.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isAppMethod, type AppApi, type AppMethod } from '../../shared/app-api'
import { AnalysisError } from '../analysis/host'
import { InputError } from '../media/probe'
import { AppError } from '../services/app-error'
import { invokeChecked, parseCall } from '../services/api-dispatch'
import { SECURITY_HEADERS } from '../services/csp'
import type { EventHub } from '../services/event-hub'
import { ResultError } from '../services/results'
import { contentTypeFor, resolveStaticPath } from '../services/static-files'
import { bearerMatches, hostAllowed, newToken } from './auth'

export interface BrowserHostOptions {
  /** The app's back end (createAppService). */
  api: AppApi
  /** Where the back end's events come from (the hub whose emit was given to createAppService). */
  events: EventHub
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
/** Masks and long clip lists fit easily; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024
/** A comment line now and then keeps proxies and idle timers from closing the event stream. */
const KEEPALIVE_MS = 15_000

const APP_ERROR_STATUS = { invalid: 400, 'not-found': 404, conflict: 409, superseded: 409 } as const
// A damaged result is not the caller's doing (500); one being rewritten is a conflict.
const RESULT_ERROR_STATUS = { 'invalid-id': 400, 'not-found': 404, invalid: 500, conflict: 409 } as const

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = newToken()
  let port = 0
  const streams = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => sendError(res, error))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a hostile page that got its name pointed at 127.0.0.1 still sends its own Host.
    if (!hostAllowed(req.headers.host, port)) throw new HttpError(421, 'unexpected Host header')
    const url = parseRequestUrl(req.url, port)
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      if (!bearerMatches(req.headers.authorization, token)) throw new HttpError(401, 'missing or wrong access token')
      if (url.pathname === '/api/events') {
        if (req.method !== 'GET') throw new HttpError(405, 'method not allowed')
        return openEventStream(req, res)
      }
      const call = /^\/api\/call\/([A-Za-z]+)$/.exec(url.pathname)
      if (!call) throw new HttpError(404, 'no such API route')
      if (req.method !== 'POST') throw new HttpError(405, 'method not allowed')
      if (!isAppMethod(call[1])) throw new HttpError(404, `no such method: ${call[1]}`)
      return sendJson(res, 200, await callMethod(call[1], req))
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed')
    return serveStatic(req, res, url.pathname)
  }

  async function callMethod(method: AppMethod, req: IncomingMessage): Promise<unknown> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
    if (type !== 'application/json') throw new HttpError(415, 'the request body must be JSON (Content-Type: application/json)')
    const body = await readBody(req)
    let json: unknown
    try {
      json = JSON.parse(body.toString('utf8'))
    } catch {
      throw new HttpError(400, 'the request body is not valid JSON')
    }
    let args: unknown[]
    try {
      args = parseCall(method, json).args
    } catch (error) {
      throw new HttpError(400, (error as Error).message)
    }
    return invokeChecked(options.api, method, args)
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no'
    })
    res.flushHeaders()
    res.write(': connected\n\n')
    streams.add(res)
    const unsubscribe = options.events.subscribe((event) => {
      res.write(`data: ${JSON.stringify(event)}\n\n`)
    })
    const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS)
    keepalive.unref()
    const close = (): void => {
      clearInterval(keepalive)
      unsubscribe()
      streams.delete(res)
    }
    req.on('close', close)
    res.on('close', close)
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
    close: () => {
      for (const res of streams) res.end()
      return closeServer(server)
    }
  }
}

/** The body, refusing more than MAX_BODY_BYTES (announced or actually sent). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? 0)
  if (announced > MAX_BODY_BYTES) {
    // Drain what the client sends anyway, so it gets to read the answer.
    req.resume()
    return Promise.reject(tooLarge())
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function tooLarge(): HttpError {
  return new HttpError(413, `the request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB`)
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

/** The status and message an error is answered with. Exported for the tests. */
export function describeError(error: unknown): { status: number; message: string } {
  if (error instanceof HttpError) return { status: error.status, message: error.message }
  if (error instanceof AppError) return { status: APP_ERROR_STATUS[error.code], message: error.message }
  if (error instanceof ResultError) return { status: RESULT_ERROR_STATUS[error.code], message: error.message }
  if (error instanceof InputError || error instanceof AnalysisError) return { status: 400, message: error.message }
  // Unexpected: the message (never a stack) still tells the owner what broke, e.g. a full disk.
  console.error('browser host:', error)
  return { status: 500, message: error instanceof Error ? error.message : 'internal error' }
}

/** Errors go out as {error: message} with a fitting status; never a stack trace. */
function sendError(res: ServerResponse, error: unknown): void {
  const { status, message } = describeError(error)
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
