// JPEG previews of single frames, for the timeline and choosing the reference. Done the way
// LosslessCut does thumbnails: one short ffmpeg run per frame (`-ss T -i CLIP -frames:v 1`),
// a few at a time, and a newer request for the same view cancels the stale one, so scrubbing
// never queues up work nobody will see. A small LRU cache answers repeated moments at once.
//
// ffmpeg itself takes a quarter of a second to start here, so a process per width is started
// ahead of time and waits for its next frame (warm-frames.ts).
//
// A "view" is one project, day and width: the big preview while scrubbing is one view, a strip
// of thumbnails at another width is another. Requests of the same view supersede each other, so
// load a thumbnail strip one request at a time (each answer is quick) or give it its own width.
import { lastErrorLine, ProcessError, runTool } from '../media/processes'
import { AppError } from './app-error'
import { WarmFrames } from './warm-frames'

export interface FrameRequest {
  /** Requests with the same view supersede each other. */
  view: string
  path: string
  seconds: number
  width: number
}

interface Task {
  controller: AbortController
  start(): void
}

export interface FrameServiceOptions {
  concurrency?: number
  cacheSize?: number
  /** With ffprobe, ffmpeg processes are started ahead of requests (see warm-frames.ts). */
  ffprobe?: string
}

/** The ffmpeg arguments for one JPEG frame `width` pixels wide (height keeps the aspect, even). */
export function frameArgs(path: string, seconds: number, width: number): string[] {
  return [
    '-hide_banner', '-nostdin', '-v', 'error', '-threads', '1',
    // Input seeking: jump to the keyframe before T, decode up to T exactly.
    '-ss', seconds.toFixed(3), '-i', path,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-frames:v', '1', '-vf', `scale=${width}:-2`, '-q:v', '4', '-f', 'mjpeg', 'pipe:1'
  ]
}

function supersededError(): AppError {
  return new AppError('superseded', 'This frame request was replaced by a newer one.')
}

export class FrameService {
  private readonly concurrency: number
  private readonly cacheSize: number
  private readonly cache = new Map<string, Buffer>()
  private readonly queue: Task[] = []
  private active = 0
  private readonly views = new Map<string, { key: string; controller: AbortController; promise: Promise<Buffer> }>()
  private readonly claims = new Map<string, number>()
  private disposed = false
  private readonly warm: WarmFrames | null

  constructor(
    private readonly ffmpeg: string,
    options: FrameServiceOptions = {}
  ) {
    this.concurrency = options.concurrency ?? 2
    this.cacheSize = options.cacheSize ?? 64
    this.warm = options.ffprobe ? new WarmFrames(ffmpeg, options.ffprobe) : null
  }

  /**
   * Takes a place in line for a view, as soon as a request arrives (before the caller looks
   * anything up), so that requests supersede each other in the order they were made.
   */
  claim(view: string): number {
    const ticket = (this.claims.get(view) ?? 0) + 1
    this.claims.set(view, ticket)
    return ticket
  }

  /** The frame as JPEG. With a ticket from claim(), a request made later for the view wins. */
  jpeg(request: FrameRequest, ticket?: number): Promise<Buffer> {
    if (this.disposed) return Promise.reject(new AppError('conflict', 'Dwellmap is closing; no more previews.'))
    if (ticket !== undefined && ticket !== this.claims.get(request.view)) return Promise.reject(supersededError())
    const key = `${request.path}\n${request.seconds.toFixed(3)}\n${request.width}`
    const current = this.views.get(request.view)
    if (current?.key === key) return current.promise
    // Whatever this view was waiting for is stale now.
    current?.controller.abort()
    this.views.delete(request.view)
    const cached = this.cache.get(key)
    if (cached) {
      this.cache.delete(key)
      this.cache.set(key, cached)
      return Promise.resolve(cached)
    }
    const controller = new AbortController()
    const promise = this.schedule(controller, () => this.extract(request, controller.signal)).then((jpeg) => {
      this.remember(key, jpeg)
      return jpeg
    })
    const entry = { key, controller, promise }
    this.views.set(request.view, entry)
    const forget = (): void => {
      if (this.views.get(request.view) === entry) this.views.delete(request.view)
    }
    promise.then(forget, forget)
    return promise
  }

  /** Readies quick previews of clips at a width before they are asked for (see WarmFrames). */
  prepare(paths: string[], width: number): void {
    if (!this.disposed) this.warm?.prepare(paths, width)
  }

  /** Stops everything queued or running. */
  dispose(): void {
    this.disposed = true
    this.warm?.dispose()
    for (const { controller } of this.views.values()) controller.abort()
    this.views.clear()
  }

  get cachedCount(): number {
    return this.cache.size
  }

  private remember(key: string, jpeg: Buffer): void {
    this.cache.set(key, jpeg)
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as string)
  }

  /** Runs `work` when one of the `concurrency` slots is free; an abort while queued drops it. */
  private schedule(controller: AbortController, work: () => Promise<Buffer>): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const task: Task = {
        controller,
        start: () => {
          this.active++
          work()
            .then(
              (jpeg) => (controller.signal.aborted ? reject(supersededError()) : resolve(jpeg)),
              (error: unknown) => reject(controller.signal.aborted ? supersededError() : error)
            )
            .finally(() => {
              this.active--
              this.next()
            })
        }
      }
      controller.signal.addEventListener('abort', () => {
        const i = this.queue.indexOf(task)
        if (i >= 0) {
          this.queue.splice(i, 1)
          reject(supersededError())
        }
      }, { once: true })
      this.queue.push(task)
      this.next()
    })
  }

  private next(): void {
    while (this.active < this.concurrency && this.queue.length > 0) this.queue.shift()!.start()
  }

  private async extract(request: FrameRequest, signal: AbortSignal): Promise<Buffer> {
    if (this.warm) {
      try {
        const jpeg = await this.warm.frame(request.path, request.seconds, request.width, signal)
        if (jpeg) return jpeg
      } catch (error) {
        if (signal.aborted) throw error
        // A waiting process that failed: a fresh ffmpeg gives the real reason, if there is one.
      }
    }
    let stdout: Buffer
    try {
      ;({ stdout } = await runTool(this.ffmpeg, frameArgs(request.path, request.seconds, request.width), signal))
      this.warm?.prepare([request.path], request.width)
    } catch (error) {
      if (error instanceof ProcessError && !signal.aborted) {
        throw new AppError('invalid', `${request.path}: no preview at ${request.seconds.toFixed(1)} s (${lastErrorLine(error.stderrTail) || error.message}).`)
      }
      throw error
    }
    if (stdout.length === 0) throw new AppError('invalid', `${request.path} has no frame at ${request.seconds.toFixed(1)} s.`)
    return stdout
  }
}
