// The browser host's client notices when the host stops: the page froze on "Looking at the
// footage… 18 %" with no word when `dwellmap serve` ended. The host is a stubbed fetch here.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { httpClient, type HostState } from '../../src/renderer/src/lib/app-client'

/** An event stream the test ends by hand, and whether the host answers at all. */
function fakeHost(): { fetch: typeof fetch; up: boolean; end(): void; streams: number } {
  const host = {
    up: true,
    streams: 0,
    ends: [] as Array<() => void>,
    end() {
      for (const close of host.ends.splice(0)) close()
    },
    fetch: (async (input: RequestInfo | URL) => {
      if (!host.up) throw new TypeError('Failed to fetch')
      const url = String(input)
      if (url === '/api/events') {
        host.streams++
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(': keep-alive\n\n'))
            host.ends.push(() => controller.close())
          }
        })
        return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } })
      }
      return new Response(JSON.stringify([]), { status: 200, headers: { 'Content-Type': 'application/json' } })
    }) as typeof fetch
  }
  return host
}

let host: ReturnType<typeof fakeHost>

beforeEach(() => {
  vi.useFakeTimers()
  host = fakeHost()
  vi.stubGlobal('fetch', host.fetch)
})

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

/** Lets the stream's promises and timers run. */
async function settle(ms = 0): Promise<void> {
  for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(ms / 5)
}

describe('the browser host going away', () => {
  it('is said once the event stream ends and cannot be opened again', async () => {
    const client = httpClient('token')
    const states: HostState[] = []
    const stop = client.onHostState((state) => states.push(state))
    await settle()
    expect(host.streams).toBe(1)
    expect(states).toEqual([])
    host.up = false
    host.end()
    await settle(1000)
    expect(states).toEqual(['lost'])
    // A listener that comes later hears it too.
    const late: HostState[] = []
    client.onHostState((state) => late.push(state))
    expect(late).toEqual(['lost'])
    stop()
  })

  it('is said when a request finds nobody', async () => {
    const client = httpClient('token')
    const states: HostState[] = []
    client.onHostState((state) => states.push(state))
    await settle()
    host.up = false
    await expect(client.api.listProjects()).rejects.toThrow(/not answering/)
    expect(states).toEqual(['lost'])
  })

  it('is taken back when the same host answers again (a stream that only dropped)', async () => {
    const client = httpClient('token')
    const states: HostState[] = []
    client.onHostState((state) => states.push(state))
    await settle()
    host.up = false
    host.end()
    await settle(1000)
    host.up = true
    await settle(20_000)
    expect(states).toEqual(['lost', 'ok'])
  })

  it('says nothing while the stream just goes on, and a stream that ends and reopens is not a loss', async () => {
    const client = httpClient('token')
    const states: HostState[] = []
    client.onHostState((state) => states.push(state))
    await settle(5000)
    host.end()
    await settle(1000)
    expect(host.streams).toBe(2)
    expect(states).toEqual([])
  })
})
