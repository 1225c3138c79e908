// The browser host, for real, on 127.0.0.1: token, Host check, the API routes (calls and the
// event stream), static path check, headers. The back end is a stand-in: the host only routes.
import { request } from 'node:http'
import { connect } from 'node:net'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppApi, AppEvent } from '../../src/shared/app-api'
import type { Project } from '../../src/shared/project'
import { AppError } from '../../src/main/services/app-error'
import { EventHub } from '../../src/main/services/event-hub'
import { MAX_BODY_BYTES, startBrowserHost, type BrowserHost } from '../../src/main/web/server'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request: node:http sends the path and the Host header exactly as given. */
function send(port: number, path: string, options: { headers?: Record<string, string>; method?: string; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const method = options.method ?? 'GET'
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return send(port, path, { headers })
}

/** Opens the event stream and collects what arrives until `close` is called. */
function openEvents(port: number, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: () => string; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/events', headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        text += c
      })
      res.on('error', () => {})
      resolve({ status: res.statusCode ?? 0, headers: res.headers, text: () => text, close: () => req.destroy() })
    })
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error)
    })
    req.end()
  })
}

/** Resolves true when a TCP connection to host:port is accepted. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port })
    socket.setTimeout(2000)
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
}

const project: Project = { dwellmapProject: 1, id: 'shop', name: 'Shop', days: [], zones: [], mask: null }
const calls: Array<[string, unknown[]]> = []

/** Only what the tests call; anything else would be a routing bug and fails loudly. */
const api = {
  listProjects: async () => [{ id: 'shop', name: 'Shop', days: 0, openedAt: null }],
  createProject: async (...args: unknown[]) => {
    calls.push(['createProject', args])
    return { ...project, name: args[0] as string }
  },
  openProject: async (id: string) => {
    throw new AppError('not-found', `There is no project "${id}".`)
  },
  cancelAnalysis: async () => {
    throw new AppError('conflict', 'Monday is being analysed; cancel the analysis before changing it.')
  },
  // Returns something that is not a Project: the host must not pass it on.
  addDay: async () => ({ hello: 'world' }),
  removeDay: async () => {
    throw new Error('disk full')
  },
  setMask: async () => project
} as unknown as AppApi

let dir: string
let host: BrowserHost
let auth: Record<string, string>
let json: Record<string, string>
const events = new EventHub()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-host-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Dwellmap</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  // Next to the renderer folder: what a traversal would try to read.
  await writeFile(join(dir, 'secret.txt'), 'TOP SECRET')
  host = await startBrowserHost({ api, events, rendererDir })
  auth = { Authorization: `Bearer ${host.token}` }
  json = { ...auth, 'Content-Type': 'application/json' }
})

afterAll(async () => {
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

function call(method: string, body: unknown, headers = json): Promise<Reply> {
  return send(host.port, `/api/call/${method}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

describe('browser host: access', () => {
  it('prints a loopback URL with the token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`)
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
  })

  it('binds to 127.0.0.1 only', async () => {
    expect(await canConnect('127.0.0.1', host.port)).toBe(true)
    // Another loopback address and IPv6 loopback reach the machine but not our socket.
    expect(await canConnect('127.0.0.2', host.port)).toBe(false)
    expect(await canConnect('::1', host.port)).toBe(false)
  })

  it('refuses calls and events without the token', async () => {
    const reply = await call('listProjects', [], { 'Content-Type': 'application/json' })
    expect(reply.status).toBe(401)
    expect(JSON.parse(reply.body)).toEqual({ error: 'missing or wrong access token' })
    expect(reply.headers['www-authenticate']).toBe('Bearer')
    expect((await get(host.port, '/api/events')).status).toBe(401)
  })

  it.each([
    ['a wrong token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['the token with a suffix', 'Bearer TOKENx'],
    ['another scheme', 'Basic TOKEN'],
    ['the bare token', 'TOKEN']
  ])('refuses calls and events with %s', async (_name, header) => {
    const Authorization = header.replace('TOKEN', host.token)
    expect((await call('listProjects', [], { Authorization, 'Content-Type': 'application/json' })).status).toBe(401)
    expect((await get(host.port, '/api/events', { Authorization })).status).toBe(401)
  })

  it('does not take the token from the query string', async () => {
    expect((await get(host.port, `/api/events?token=${host.token}`)).status).toBe(401)
    expect((await send(host.port, `/api/call/listProjects?token=${host.token}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '[]' })).status).toBe(401)
  })

  it.each(['evil.example:80', 'localhost', '127.0.0.1', '127.0.0.1:1', '[::1]:PORT', 'attacker.com:PORT', '127.0.0.1:PORT.evil.example'])(
    'rejects the Host header %s (DNS rebinding)',
    async (hostHeader) => {
      const Host = hostHeader.replace('PORT', String(host.port))
      expect((await call('listProjects', [], { ...json, Host })).status).toBe(421)
      expect((await get(host.port, '/api/events', { ...auth, Host })).status).toBe(421)
      expect((await get(host.port, '/', { Host })).status).toBe(421)
    }
  )

  it('accepts localhost:<port> as Host', async () => {
    expect((await call('listProjects', [], { ...json, Host: `localhost:${host.port}` })).status).toBe(200)
  })
})

describe('browser host: calls', () => {
  it('calls a method with the JSON array of its arguments', async () => {
    const reply = await call('createProject', ['  Corner shop '])
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(reply.headers['cache-control']).toBe('no-store')
    // The arguments were parsed by the schema (trimmed) before the service saw them.
    expect(calls.at(-1)).toEqual(['createProject', ['Corner shop']])
    expect(JSON.parse(reply.body)).toMatchObject({ id: 'shop', name: 'Corner shop' })
    expect(JSON.parse((await call('listProjects', [])).body)).toEqual([{ id: 'shop', name: 'Shop', days: 0, openedAt: null }])
  })

  it('answers 404 for methods that are not in the table', async () => {
    for (const name of ['nope', 'toString', 'constructor', 'hasOwnProperty']) {
      const reply = await call(name, [])
      expect(reply.status).toBe(404)
      expect(JSON.parse(reply.body)).toEqual({ error: `no such method: ${name}` })
    }
    expect((await call('__proto__', [])).status).toBe(404)
    expect((await send(host.port, '/api/other', { headers: auth })).status).toBe(404)
    expect((await send(host.port, '/api/call/', { method: 'POST', headers: json, body: '[]' })).status).toBe(404)
  })

  it('answers 400 with the reason for bad arguments', async () => {
    const bad = await call('createProject', [''])
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error).toMatch(/^invalid arguments for createProject: /)
    expect((await call('openProject', ['../secret'])).status).toBe(400)
    expect((await call('listProjects', { not: 'an array' })).status).toBe(400)
    expect((await call('frame', ['shop', 'monday', 1, 99999])).status).toBe(400)
    const broken = await call('listProjects', '[1, 2')
    expect(broken.status).toBe(400)
    expect(JSON.parse(broken.body)).toEqual({ error: 'the request body is not valid JSON' })
  })

  it('answers 415 for bodies that are not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await call('listProjects', '[]', { ...auth, 'Content-Type': type })
      expect(reply.status).toBe(415)
    }
    expect((await call('listProjects', '[]', auth)).status).toBe(415)
    expect((await call('listProjects', '[]', { ...auth, 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200)
  })

  it('answers 413 for bodies over 16 MB', async () => {
    const huge = JSON.stringify(['shop', 'data:image/png;base64,' + 'A'.repeat(MAX_BODY_BYTES)])
    const reply = await call('setMask', huge)
    expect(reply.status).toBe(413)
    expect(JSON.parse(reply.body).error).toMatch(/larger than 16 MB/)
  })

  it('answers 405 for other HTTP methods on the API', async () => {
    expect((await send(host.port, '/api/call/listProjects', { headers: auth })).status).toBe(405)
    expect((await send(host.port, '/api/events', { method: 'POST', headers: json, body: '[]' })).status).toBe(405)
  })

  it('maps the service errors to statuses with their plain message', async () => {
    const missing = await call('openProject', ['nope'])
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({ error: 'There is no project "nope".' })
    const busy = await call('cancelAnalysis', ['shop', 'monday'])
    expect(busy.status).toBe(409)
    expect(JSON.parse(busy.body).error).toBe('Monday is being analysed; cancel the analysis before changing it.')
    const broken = await call('removeDay', ['shop', 'monday'])
    expect(broken.status).toBe(500)
    expect(JSON.parse(broken.body)).toEqual({ error: 'disk full' })
    expect(broken.body).not.toMatch(/\bat\b.*\.ts/)
  })

  it('does not pass on a result that does not match the API', async () => {
    const reply = await call('addDay', ['shop', 'Monday'])
    expect(reply.status).toBe(500)
    expect(reply.body).not.toContain('world')
  })
})

describe('browser host: events', () => {
  it('streams events as server-sent events', async () => {
    const stream = await openEvents(host.port, auth)
    expect(stream.status).toBe(200)
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8')
    expect(stream.headers['cache-control']).toBe('no-store')
    await until(() => events.size === 1)
    const event: AppEvent = { type: 'analysis', projectId: 'shop', dayId: 'monday', status: 'running', message: null }
    events.emit(event)
    events.emit({ type: 'progress', projectId: 'shop', dayId: 'monday', progress: { framesDone: 5, framesTotal: 10, fps: 2, etaSeconds: 2.5, stage: 'accumulating' } })
    await until(() => stream.text().split('\n\n').filter((b) => b.startsWith('data: ')).length === 2)
    const messages = stream.text().split('\n\n').filter((b) => b.startsWith('data: ')).map((b) => JSON.parse(b.slice(6)) as AppEvent)
    expect(messages[0]).toEqual(event)
    expect(messages[1]).toMatchObject({ type: 'progress', progress: { framesDone: 5 } })
    stream.close()
    // A closed stream stops listening.
    await until(() => events.size === 0)
    expect(events.size).toBe(0)
  })
})

describe('browser host: static files', () => {
  it('serves the renderer with a strict CSP', async () => {
    const reply = await get(host.port, '/')
    expect(reply.status).toBe(200)
    expect(reply.body).toContain('<title>Dwellmap</title>')
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['x-content-type-options']).toBe('nosniff')
    const csp = String(reply.headers['content-security-policy'])
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "connect-src 'self'"
    ]) {
      expect(csp).toContain(directive)
    }
    expect(csp).not.toContain('unsafe-eval')
    const js = await get(host.port, '/assets/app.js')
    expect(js.status).toBe(200)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.headers['content-security-policy']).toBeDefined()
  })

  it.each([
    '/..%2f..%2fetc/passwd',
    '/..%2fsecret.txt',
    '/../secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/..%5csecret.txt',
    '/index.html%00.png',
    '/%E0%A4%A',
    '//etc/passwd',
    '/assets/%2e%2e/%2e%2e/secret.txt'
  ])('refuses the static path %s', async (path) => {
    const reply = await get(host.port, path)
    expect([400, 403, 404]).toContain(reply.status)
    expect(reply.body).not.toContain('TOP SECRET')
    expect(reply.body).not.toContain('root:')
  })


  it('answers 404 for a missing file and 405 for writes', async () => {
    expect((await get(host.port, '/missing.js')).status).toBe(404)
    expect((await send(host.port, '/index.html', { method: 'POST' })).status).toBe(405)
  })
})
