// The Electron shell's pure checks, under plain Node: IPC senders, IPC payloads, app:// paths.
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CallRejected, parseCall } from '../../src/main/services/api-dispatch'
import {
  APP_ENTRY_URL,
  assertTrustedSender,
  IpcRejected,
  isTrustedSender,
  resolveAppRequest
} from '../../src/main/services/shell-guards'

describe('isTrustedSender', () => {
  it.each([APP_ENTRY_URL, 'app://dwellmap/', 'app://dwellmap/index.html#x'])('trusts %s', (url) => {
    expect(isTrustedSender(url)).toBe(true)
  })

  it.each([
    undefined,
    null,
    '',
    'not a url',
    'https://dwellmap/index.html',
    'http://127.0.0.1:5173/',
    'file:///work/main/out/renderer/index.html',
    'app://dwellmap.evil.example/index.html',
    'app://evil/index.html',
    'app://user@dwellmap/index.html',
    'app://dwellmap:8080/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,<script>1</script>'
  ])('refuses %s', (url) => {
    expect(isTrustedSender(url)).toBe(false)
    expect(() => assertTrustedSender(url)).toThrow(IpcRejected)
  })
})

describe('IPC payloads (dwellmap:call)', () => {
  it('passes a method of the table with arguments that match its schema', () => {
    expect(parseCall('getResult', ['2025-03-01_cam1'])).toEqual({ method: 'getResult', args: ['2025-03-01_cam1'] })
    expect(parseCall('listResults', [])).toEqual({ method: 'listResults', args: [] })
  })

  it.each([[undefined], ['results:get'], ['valueOf'], [{ toString: (): string => 'listResults' }]])('refuses the method %j', (method) => {
    expect(() => parseCall(method, [])).toThrow(CallRejected)
  })

  it.each([[[]], [['../x']], [['a/b']], [['']], [[42]], [[{ id: 'x' }]], [['a', 'b']], [[null]], [['x'.repeat(200)]], ['x'], [undefined]])(
    'getResult refuses %j',
    (args) => {
      expect(() => parseCall('getResult', args)).toThrow(/^invalid arguments for getResult/)
    }
  )
})

describe('resolveAppRequest', () => {
  const rendererDir = resolve('/opt/dwellmap/out/renderer')

  it('maps app://dwellmap paths into the renderer folder', () => {
    expect(resolveAppRequest('app://dwellmap/index.html', rendererDir)).toBe(join(rendererDir, 'index.html'))
    expect(resolveAppRequest('app://dwellmap/', rendererDir)).toBe(join(rendererDir, 'index.html'))
    expect(resolveAppRequest('app://dwellmap/assets/index-1.js?v=2', rendererDir)).toBe(join(rendererDir, 'assets', 'index-1.js'))
    expect(resolveAppRequest('app://dwellmap/assets/a%20b.css', rendererDir)).toBe(join(rendererDir, 'assets', 'a b.css'))
  })

  it('keeps dot-dot that the URL parser resolves inside the folder', () => {
    // new URL() already folds these into /etc/passwd: harmless, it is inside the renderer folder.
    expect(resolveAppRequest('app://dwellmap/../../etc/passwd', rendererDir)).toBe(join(rendererDir, 'etc', 'passwd'))
  })

  it.each([
    'app://dwellmap/..%2f..%2fetc/passwd',
    'app://dwellmap/%2e%2e%2f%2e%2e%2fetc/passwd',
    'app://dwellmap/assets/..%2f..%2f..%2fsecret',
    'app://dwellmap/..%5c..%5csecret',
    'app://dwellmap/index.html%00.png',
    'app://dwellmap/%E0%A4%A',
    'app://other/index.html',
    'file:///etc/passwd',
    'https://dwellmap/index.html',
    'nonsense'
  ])('refuses %s', (url) => {
    expect(resolveAppRequest(url, rendererDir)).toBeNull()
  })
})
