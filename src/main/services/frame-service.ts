// JPEG previews of single frames, for the timeline and choosing the reference. Done the way
// LosslessCut does thumbnails: one short ffmpeg run per frame (`-ss T -i CLIP -frames:v 1`),
// a few at a time, and a newer request for the same view cancels the stale one, so scrubbing
// never queues up work nobody will see. A small LRU cache answers repeated moments at once.
// Containers without an index (MPEG-TS, bare streams) take a few more steps: frameTries.
//
// ffmpeg itself takes a quarter of a second to start here, so a process per width is started
// ahead of time and waits for its next frame (warm-frames.ts).
//
// A "view" is one project, day and width: the big preview while scrubbing is one view, a strip
// of thumbnails at another width is another. Requests of the same view supersede each other, so
// load a thumbnail strip one request at a time (each answer is quick) or give it its own width.
import { stat } from 'node:fs/promises'
import { lastErrorLine, ProcessError, runTool } from '../media/processes'
import { AppError, isMissing } from './app-error'
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

/** Containers with an index: `-ss T -i CLIP` jumps to the keyframe before T and decodes up to T. */
const INDEXED = /\.(mp4|m4v|mov|mkv|avi)$/i
/** Bare H.264/HEVC streams have no times to seek by: ffmpeg's seek in them gives no frame at all. */
const BARE = /\.(h264|h265|hevc|264|265)$/i
/**
 * How far before the moment the seek aims in other containers, one try after another. MPEG-TS
 * seeks by byte position and lands on the first keyframe after where it aimed, so aiming at T
 * gave a later frame, or none near a clip's end; each try reaches back further, for keyframes
 * further apart.
 */
const LEADS = [2, 8, 32]
/** Half a millisecond: moments are asked to the millisecond, frame times are not round. */
const EPS = 0.0005

/** The ffmpeg arguments for one JPEG frame `width` pixels wide (height keeps the aspect, even). */
export function frameArgs(path: string, seconds: number, width: number): string[] {
  return jpegArgs(['-ss', seconds.toFixed(3)], path, [], width)
}

function jpegArgs(input: string[], path: string, filters: string[], width: number): string[] {
  return [
    '-hide_banner', '-nostdin', '-v', 'error', '-threads', '1', ...input, '-i', path,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-frames:v', '1', '-vf', [...filters, `scale=${width}:-2`].join(','), '-q:v', '4', '-f', 'mjpeg', 'pipe:1'
  ]
}

/**
 * The ffmpeg runs to try in turn for the frame at `seconds`: the first that gives a frame wins.
 * Where the seek is not exact, each run reads from a point before the moment and picks the frame
 * at it by its time, and only when it saw a frame before the moment: a seek that landed after
 * the moment gives nothing, and the next run reaches further back.
 */
export function frameTries(path: string, seconds: number, width: number): string[][] {
  if (INDEXED.test(path)) return [frameArgs(path, seconds, width)]
  const leads = BARE.test(path) ? [] : LEADS
  const tries: string[][] = []
  let fromStart = leads.length === 0
  for (const lead of leads) {
    const from = Number(Math.max(0, seconds - lead).toFixed(3))
    if (from === 0) {
      fromStart = true
      break
    }
    const at = seconds - from
    // Read a second past the moment, no further: a run that finds nothing must not decode the rest of the clip.
    const input = ['-ss', from.toFixed(3), '-t', (at + 1).toFixed(3)]
    // The first frame at the moment; a frame read before it (prev_t) proves the seek landed in time.
    const early = (at - EPS).toFixed(4)
    tries.push(jpegArgs(input, path, [`select=gte(t\\,${early})*(lt(prev_t\\,${early})+lte(t\\,${(at + EPS).toFixed(4)}))`], width))
  }
  // Near the start, or a stream that cannot seek: read from the start, which is always in time.
  if (fromStart) tries.push(jpegArgs(['-t', (seconds + 1).toFixed(3)], path, [`select=gte(t\\,${(seconds - EPS).toFixed(4)})`], width))
  return tries
}

async function isGone(path: string): Promise<boolean> {
  return stat(path).then(() => false, (error: unknown) => isMissing(error))
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
    for (const args of frameTries(request.path, request.seconds, request.width)) {
      let stdout: Buffer
      try {
        ;({ stdout } = await runTool(this.ffmpeg, args, signal))
      } catch (error) {
        if (error instanceof ProcessError && !signal.aborted) {
          // Said plainly, with what to do: ffmpeg's own words were "No such file or directory".
          if (await isGone(request.path)) {
            throw new AppError('not-found', `${request.path} is not there any more: it was moved or deleted. Put it back, or remove it from the day's footage and add it again from where it is now.`)
          }
          throw new AppError('invalid', `${request.path}: no preview at ${request.seconds.toFixed(1)} s (${lastErrorLine(error.stderrTail) || error.message}).`)
        }
        throw error
      }
      if (stdout.length > 0) {
        this.warm?.prepare([request.path], request.width)
        return stdout
      }
    }
    throw new AppError('invalid', `${request.path} has no frame at ${request.seconds.toFixed(1)} s.`)
  }
}
