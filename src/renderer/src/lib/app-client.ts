// The one door from the renderer to the app, built from the APP_API table: in Electron over the
// preload's bridge (IPC), in a browser over HTTP to the browser host. Every answer is checked
// against the method's result schema, whichever way it came: the page trusts nothing it did not
// validate. Components get an AppApi and never know which host they run in.
import { APP_API, AppEventSchema, PickedPathsSchema, type AppApi, type AppEvent, type AppMethod, type DwellmapBridge, type PickKind } from '../../../shared/app-api'
import { takeSessionToken } from './session-token'

export type AppEventListener = (event: AppEvent) => void

export interface AppClient {
  api: AppApi
  /** Where the page runs: the Electron window, or a browser talking to the browser host. */
  host: 'electron' | 'browser'
  /** Pushed events (analysis progress and status). Returns the unsubscribe function. */
  onEvent(listener: AppEventListener): () => void
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
    pathForFile: typeof bridge.pathForFile === 'function' ? (file) => bridge.pathForFile(file) : null,
    pickPaths: typeof bridge.pickPaths === 'function' ? (kind) => checkedPick(bridge, kind) : null
  }
}

const NO_TOKEN = 'This page needs its access link. Open the address Dwellmap printed when it started (it ends in #token=…).'
const BAD_TOKEN = 'This access link is no longer valid. Open the address Dwellmap printed when it last started.'

function httpClient(token: string | null): AppClient {
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
  const stream = new EventStream(token)
  return { api: buildAppApi(transport), host: 'browser', onEvent: (listener) => stream.subscribe(listener), pathForFile: null, pickPaths: null }
}

/**
 * The browser host's server-sent events (GET /api/events), read with fetch so the token can ride
 * in the Authorization header (EventSource cannot send headers). Connected while anyone listens;
 * reconnects with a growing pause when the stream ends or fails.
 */
class EventStream {
  private readonly listeners = new Set<AppEventListener>()
  private abort: AbortController | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private retryDelay = 500

  constructor(private readonly token: string | null) {}

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener)
    if (this.listeners.size === 1) this.connect()
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.disconnect()
    }
  }

  private connect(): void {
    if (!this.token || this.abort || this.retryTimer) return
    const abort = new AbortController()
    this.abort = abort
    this.read(abort.signal).then(
      () => this.reconnectLater(abort),
      () => this.reconnectLater(abort)
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
    if (this.listeners.size === 0) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (this.listeners.size > 0) this.connect()
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
