// The browser host, for real, on 127.0.0.1: token, Host check, static path check, headers.
import { request } from 'node:http'
import { connect } from 'node:net'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ResultListItemSchema } from '../../src/shared/api'
import { startBrowserHost, type BrowserHost } from '../../src/main/web/server'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw request: node:http sends the path and the Host header exactly as given. */
function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
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

let dir: string
let host: BrowserHost
let auth: Record<string, string>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-host-'))
  const rendererDir = join(dir, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Dwellmap</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  // Next to the renderer folder: what a traversal would try to read.
  await writeFile(join(dir, 'secret.txt'), 'TOP SECRET')
  await mkdir(join(dir, 'results'))
  host = await startBrowserHost({ resultsRoot: join(dir, 'results'), rendererDir })
  auth = { Authorization: `Bearer ${host.token}` }
})

afterAll(async () => {
  await host?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('browser host', () => {
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

  it('refuses the API without the token', async () => {
    const reply = await get(host.port, '/api/results')
    expect(reply.status).toBe(401)
    expect(JSON.parse(reply.body)).toEqual({ error: 'missing or wrong access token' })
  })

  it.each([
    ['a wrong token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['the token with a suffix', 'Bearer TOKENx'],
    ['another scheme', 'Basic TOKEN'],
    ['the bare token', 'TOKEN']
  ])('refuses the API with %s', async (_name, header) => {
    const reply = await get(host.port, '/api/results', { Authorization: header.replace('TOKEN', host.token) })
    expect(reply.status).toBe(401)
  })

  it('answers the API with the token', async () => {
    const reply = await get(host.port, '/api/results', auth)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^application\/json/)
    expect(ResultListItemSchema.array().parse(JSON.parse(reply.body))).toEqual([])
  })

  it('answers errors as JSON without stack traces', async () => {
    const missing = await get(host.port, '/api/results/nope', auth)
    expect(missing.status).toBe(404)
    expect(JSON.parse(missing.body)).toEqual({ error: 'result nope not found' })
    const invalid = await get(host.port, '/api/results/..%2fsecret.txt', auth)
    expect(invalid.status).toBe(400)
    expect(JSON.parse(invalid.body)).toEqual({ error: 'invalid result id' })
    const unknown = await get(host.port, '/api/other', auth)
    expect(unknown.status).toBe(404)
    expect(unknown.body).not.toMatch(/\bat\b.*\.ts/)
  })

  it.each(['evil.example:80', 'localhost', '127.0.0.1', '127.0.0.1:1', '[::1]:PORT', 'attacker.com:PORT', '127.0.0.1:PORT.evil.example'])(
    'rejects the Host header %s (DNS rebinding)',
    async (hostHeader) => {
      const reply = await get(host.port, '/api/results', { ...auth, Host: hostHeader.replace('PORT', String(host.port)) })
      expect(reply.status).toBe(421)
      const page = await get(host.port, '/', { Host: hostHeader.replace('PORT', String(host.port)) })
      expect(page.status).toBe(421)
    }
  )

  it('accepts localhost:<port> as Host', async () => {
    const reply = await get(host.port, '/api/results', { ...auth, Host: `localhost:${host.port}` })
    expect(reply.status).toBe(200)
  })

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
    expect((await get(host.port, '/api/results', auth, 'POST')).status).toBe(405)
  })
})
