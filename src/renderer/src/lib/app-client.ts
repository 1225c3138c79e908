// The one door from the renderer to the app, built from the APP_API table: in Electron over the
// preload's bridge (IPC), in a browser over HTTP to the browser host. Every answer is checked
// against the method's result schema, whichever way it came: the page trusts nothing it did not
// validate. Components get an AppApi and never know which host they run in.
import { APP_API, AppEventSchema, PickedPathsSchema, type AppApi, type AppEvent, type AppMethod, type DwellmapBridge, type PickKind } from '../../../shared/app-api'
import { takeSessionToken } from './session-token'

export type AppEventListener = (event: AppEvent) => void
/** Whether the app's back end can be reached: 'lost' once the browser host has stopped. */
export type HostState = 'ok' | 'lost'
export type HostStateListener = (state: HostState) => void

/** Said once, over the whole page, when the browser host has stopped. */
export const HOST_LOST = 'Dwellmap’s background service stopped; restart it and reload this page.'

export interface AppClient {
  api: AppApi
  /** Where the page runs: the Electron window, or a browser talking to the browser host. */
  host: 'electron' | 'browser'
  /** Pushed events (analysis progress and status). Returns the unsubscribe function. */
  onEvent(listener: AppEventListener): () => void
  /**
   * Browser host only: told when the host can no longer be reached (its event stream ended, or a
   * request found nobody), and when it can again. Keeps the event stream open while subscribed.
   */
  onHostState(listener: HostStateListener): () => void
  /** Electron only: the file-system path of a dropped file or folder. */
  pathForFile: ((file: File) => string) | null
  /** Electron only: the system's open dialog for video files or folders; [] when cancelled. */
  pickPaths: ((kind: PickKind) => Promise<string[]>) | null
}

type Transport = (method: AppMethod, args: unknown[]) => Promise<unknown>

/** An AppApi whose methods check their arguments before sending and their results on arrival. */
export function buildAppApi(transport: Transport): AppApi {
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {}
  for (const method of Object.keys(APP_API) as AppMethod[]) {
    const { args: argsSchema, result: resultSchema } = APP_API[method]
    api[method] = async (...args: unknown[]) => {
      const parsedArgs = argsSchema.safeParse(args)
      if (!parsedArgs.success) throw new Error(`That request could not be sent (${method}): ${parsedArgs.error.issues[0]?.message ?? 'bad input'}.`)
      // Trailing optional arguments left out: JSON would turn undefined into null.
      const sent = [...(parsedArgs.data as unknown[])]
      while (sent.length > 0 && sent[sent.length - 1] === undefined) sent.pop()
      const answer = await transport(method, sent)
      const parsed = resultSchema.safeParse(answer)
      if (!parsed.success) throw new Error('The app sent data this page does not understand. Is the app up to date?')
      return parsed.data
    }
  }
  return api as unknown as AppApi
}

/** Electron wraps errors from the main process as "Error invoking remote method 'x': Error: msg"; keep msg. */
export function plainMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '')
}

/** The bridge's call, untyped: arguments were checked against APP_API just before. */
type LooseBridge = { call(method: AppMethod, ...args: unknown[]): Promise<unknown> }

/** The system dialog's answer, checked like any answer from another process. */
async function checkedPick(bridge: DwellmapBridge, kind: PickKind): Promise<string[]> {
  let answer: unknown
  try {
    answer = await bridge.pickPaths(kind)
  } catch (error) {
    throw new Error(plainMessage(error), { cause: error })
  }
  const parsed = PickedPathsSchema.safeParse(answer)
  if (!parsed.success) throw new Error('The file dialog sent something this page does not understand.')
  return parsed.data
}

/** The client over the Electron preload's bridge (exported for tests: a bridge is a plain object). */
export function bridgeClient(bridge: DwellmapBridge): AppClient {
  const loose = bridge as unknown as LooseBridge
  const transport: Transport = async (method, args) => {
    try {
      return await loose.call(method, ...args)
    } catch (error) {
      throw new Error(plainMessage(error), { cause: error })
    }
  }
  return {
    api: buildAppApi(transport),
    host: 'electron',
    onEvent(listener) {
      // Events cross a process too: check them like answers.
      return bridge.onEvent((event) => {
        const parsed = AppEventSchema.safeParse(event)
        if (parsed.success) listener(parsed.data)
      })
    },
    // The window and its main process live and die together: nothing to watch.
    onHostState: () => () => {},
    pathForFile: typeof bridge.pathForFile === 'function' ? (file) => bridge.pathForFile(file) : null,
    pickPaths: typeof bridge.pickPaths === 'function' ? (kind) => checkedPick(bridge, kind) : null
  }
}

const NO_TOKEN = 'This page needs its access link. Open the address Dwellmap printed when it started (it ends in #token=…).'
const BAD_TOKEN = 'This access link is no longer valid. Open the address Dwellmap printed when it last started.'

/** The client over HTTP to the browser host (exported for tests, which give their own fetch). */
export function httpClient(token: string | null): AppClient {
  const stream = new EventStream(token)
  const transport: Transport = async (method, args) => {
    if (!token) throw new Error(NO_TOKEN)
    let response: Response
    try {
      response = await fetch(`/api/call/${method}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(args),
        cache: 'no-store'
      })
    } catch {
      stream.hostUnreachable()
      throw new Error('Dwellmap is not answering. Is it still running? Start it again and reload this page.')
    }
    const body: unknown = await response.json().catch(() => null)
    if (response.status === 401) throw new Error(BAD_TOKEN)
    if (!response.ok) {
      const error = body !== null && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : null
      throw new Error(error ?? `The app answered with status ${response.status}.`)
    }
    return body
  }
  return {
    api: buildAppApi(transport),
    host: 'browser',
    onEvent: (listener) => stream.subscribe(listener),
    onHostState: (listener) => stream.watch(listener),
    pathForFile: null,
    pickPaths: null
  }
}

/**
 * The browser host's server-sent events (GET /api/events), read with fetch so the token can ride
 * in the Authorization header (EventSource cannot send headers). Connected while anyone listens;
 * reconnects with a growing pause when the stream ends or fails. The host never ends the stream
 * while it runs: a stream that ended and cannot be opened again means the host has stopped, and
 * the page says so instead of freezing on its last progress.
 */
class EventStream {
  private readonly listeners = new Set<AppEventListener>()
  private readonly watchers = new Set<HostStateListener>()
  private abort: AbortController | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private retryDelay = 500
  private state: HostState = 'ok'

  constructor(private readonly token: string | null) {}

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener)
    this.connect()
    return () => {
      this.listeners.delete(listener)
      if (!this.wanted()) this.disconnect()
    }
  }

  watch(listener: HostStateListener): () => void {
    this.watchers.add(listener)
    if (this.state === 'lost') listener('lost')
    this.connect()
    return () => {
      this.watchers.delete(listener)
      if (!this.wanted()) this.disconnect()
    }
  }

  /** A request could not reach the host. */
  hostUnreachable(): void {
    this.setState('lost')
  }

  private wanted(): boolean {
    return this.listeners.size > 0 || this.watchers.size > 0
  }

  private setState(state: HostState): void {
    if (this.state === state) return
    this.state = state
    for (const watcher of [...this.watchers]) watcher(state)
  }

  private connect(): void {
    if (!this.token || this.abort || this.retryTimer || !this.wanted()) return
    const abort = new AbortController()
    this.abort = abort
    this.read(abort.signal).then(
      () => this.reconnectLater(abort),
      () => {
        // Not even answered (or refused): nobody is there, or another host with another token.
        if (this.abort === abort) this.setState('lost')
        this.reconnectLater(abort)
      }
    )
  }

  private disconnect(): void {
    this.abort?.abort()
    this.abort = null
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private reconnectLater(abort: AbortController): void {
    if (this.abort !== abort) return
    this.abort = null
    if (!this.wanted()) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.connect()
    }, this.retryDelay)
    this.retryDelay = Math.min(this.retryDelay * 2, 10_000)
  }

  private async read(signal: AbortSignal): Promise<void> {
    const response = await fetch('/api/events', {
      headers: { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' },
      cache: 'no-store',
      signal
    })
    if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`)
    this.retryDelay = 500
    this.setState('ok')
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += value.replace(/\r\n?/g, '\n')
      let end: number
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.dispatch(buffer.slice(0, end))
        buffer = buffer.slice(end + 2)
      }
    }
  }

  /** One SSE block: `data:` lines joined; comments (keep-alives) and other fields ignored. */
  private dispatch(block: string): void {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n')
    if (!data) return
    let json: unknown
    try {
      json = JSON.parse(data)
    } catch {
      return
    }
    const parsed = AppEventSchema.safeParse(json)
    if (!parsed.success) return
    for (const listener of [...this.listeners]) listener(parsed.data)
  }
}

function isBridge(value: Window['dwellmap']): value is DwellmapBridge {
  return typeof value?.call === 'function' && typeof value.onEvent === 'function'
}

export function createAppClient(): AppClient {
  if (isBridge(window.dwellmap)) return bridgeClient(window.dwellmap)
  return httpClient(takeSessionToken())
}
