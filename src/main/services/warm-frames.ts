// Pre-started ffmpeg processes for previews. Starting Debian's ffmpeg costs about a quarter of a
// second of CPU before it reads a byte (it loads some 200 shared libraries); a preview costs
// little more than that. So for each preview width ffmpeg processes are started ahead of time
// (when a day opens, and after each use) and wait on their stdin for a concat script naming the
// clip and the moment ("inpoint"); a request only writes those three lines. Measured on the
// 10-minute 1080p bench clip (2 s GOP) at 960 px, 25 previews 23 s apart, 2 cores: prepared when
// the day opened, every preview took 0.20-0.21 s median, at most 0.28 s; not prepared, the first
// took 0.33-0.39 s (a fresh ffmpeg).
// The concat demuxer seeks like `-ss` does (to the keyframe before the moment, then decodes up
// to it); with -copyts the frames before the moment have negative times and `select` drops them,
// so the picture is exactly the one `-ss T -i CLIP` gives.
import { concatFileLine } from '../media/concat-list'
import { lastErrorLine, runTool, spawnTool, type Spawned } from '../media/processes'

/** The ffmpeg arguments of a waiting process for JPEG frames `width` pixels wide. */
export function warmArgs(width: number): string[] {
  return [
    '-hide_banner', '-nostdin', '-v', 'error', '-threads', '1', '-copyts',
    '-protocol_whitelist', 'file,pipe', '-f', 'concat', '-safe', '0', '-i', 'pipe:0',
    '-map', '0:v:0', '-an', '-sn', '-dn',
    '-vf', `select=gte(t\\,0),scale=${width}:-2`, '-fps_mode', 'passthrough',
    '-frames:v', '1', '-q:v', '4', '-f', 'mjpeg', 'pipe:1'
  ]
}

/**
 * The concat script for one moment; null for paths a script cannot carry. `inpoint` is in the
 * file's own timestamps, which start at the container's start time (MPEG-TS often starts at
 * 1.4 s), while our clip seconds count from the start of the clip.
 */
export function concatScript(path: string, clipSeconds: number, startTime: number): string | null {
  const file = concatFileLine(path)
  return file === null ? null : `ffconcat version 1.0\n${file}\ninpoint ${(startTime + clipSeconds).toFixed(6)}\n`
}

/**
 * Containers whose seeking is exact, so the waiting process gives the very frame `-ss` gives.
 * MPEG-TS and raw streams seek by byte position, where the two ways can land on neighbouring
 * frames: those always take the ordinary way.
 */
const WARM_EXTENSIONS = /\.(mp4|m4v|mov|mkv)$/i

interface Waiting {
  child: Spawned
  done: Promise<string>
  controller: AbortController
  stdout: Buffer[]
}

/**
 * Stops a waiting process. ffmpeg blocked on reading its stdin does not notice SIGTERM (the read
 * is restarted after the signal), so its stdin is closed first: an empty script ends it.
 */
function stop(proc: Waiting): void {
  proc.child.stdin?.end()
  proc.controller.abort()
}

export class WarmFrames {
  /** Waiting processes by width, least recently used width first. */
  private readonly waiting = new Map<number, Waiting[]>()
  private readonly startTimes = new Map<string, Promise<number | null>>()
  private disposed = false

  constructor(
    private readonly ffmpeg: string,
    private readonly ffprobe: string,
    /** How many widths keep processes waiting (the most recently used ones). */
    private readonly maxWidths = 2,
    /** Processes waiting per width: two, so that while scrubbing the next request finds one. */
    private readonly perWidth = 2
  ) {}

  /**
   * The frame from a waiting process, or null when none can serve it yet (first request for a
   * width or a clip, or a container that seeks by byte position). Throws when the process failed.
   */
  async frame(path: string, clipSeconds: number, width: number, signal: AbortSignal): Promise<Buffer | null> {
    if (this.disposed || !WARM_EXTENSIONS.test(path)) return null
    const startTime = this.startTimes.get(path)
    // Once prepared, wait for the probe if it is still running: the waiting processes are
    // already starting, and a fresh ffmpeg beside them would be slower.
    const known = startTime ? await startTime : undefined
    if (signal.aborted) throw new Error('cancelled')
    const script = known === undefined || known === null ? null : concatScript(path, clipSeconds, known)
    const proc = script === null ? undefined : this.take(width)
    // Not served: this one goes the ordinary way, and the caller calls prepare() once it is done.
    if (script === null || !proc) return null
    const onAbort = (): void => proc.controller.abort()
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      proc.child.stdin?.end(script)
      await proc.done
      const jpeg = Buffer.concat(proc.stdout)
      if (jpeg.length === 0) throw new Error('no frame')
      return jpeg
    } catch (error) {
      if (signal.aborted) throw error
      throw new Error(`preview process failed (${lastErrorLine(String((error as { stderrTail?: string }).stderrTail ?? '')) || (error as Error).message})`, { cause: error })
    } finally {
      signal.removeEventListener('abort', onAbort)
      this.addOne(width)
    }
  }

  /**
   * Gets ready to serve the clips at `width` quickly: starts a waiting process and probes the
   * clips' start times, one after another (a day can have dozens of clips). Called when a day
   * opens, and after a frame went the ordinary way, not while it runs: on two cores, starting
   * three more processes beside it made that first frame 3-4 times slower.
   */
  prepare(paths: string[], width: number): void {
    const warmable = paths.filter((p) => WARM_EXTENSIONS.test(p))
    if (this.disposed || warmable.length === 0) return
    this.addOne(width)
    void warmable.reduce<Promise<unknown>>((previous, path) => previous.then(() => this.startTimeOf(path)), Promise.resolve())
  }

  /**
   * One more waiting process for `width`, up to perWidth: each start costs a quarter second of
   * CPU, and two starting at once slowed the next preview down more than they helped. A width
   * whose requests come faster than one process serves them (thumbnails) grows to perWidth.
   */
  private addOne(width: number): void {
    this.warmUp(width, Math.min(this.perWidth, (this.waiting.get(width)?.length ?? 0) + 1))
  }

  /** Tops up the waiting processes of `width`, dropping the least recently used other width. */
  warmUp(width: number, upTo = this.perWidth): void {
    if (this.disposed) return
    const list = this.waiting.get(width) ?? []
    // Most recently used width last.
    this.waiting.delete(width)
    this.waiting.set(width, list)
    while (this.waiting.size > this.maxWidths) {
      const [oldest, procs] = this.waiting.entries().next().value as [number, Waiting[]]
      this.waiting.delete(oldest)
      for (const proc of procs) stop(proc)
    }
    while (list.length < upTo) list.push(this.spawn(width, list))
  }

  dispose(): void {
    this.disposed = true
    for (const procs of this.waiting.values()) for (const proc of procs) stop(proc)
    this.waiting.clear()
  }

  get waitingCount(): number {
    let n = 0
    for (const procs of this.waiting.values()) n += procs.length
    return n
  }

  private take(width: number): Waiting | undefined {
    return this.waiting.get(width)?.shift()
  }

  private spawn(width: number, list: Waiting[]): Waiting {
    const controller = new AbortController()
    const { child, done } = spawnTool(this.ffmpeg, warmArgs(width), { stdin: true, signal: controller.signal, reuseMemory: true })
    const stdout: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => stdout.push(c))
    child.stdin?.on('error', () => {})
    const entry: Waiting = { child, done, controller, stdout }
    // A waiting process that dies (killed, or ffmpeg missing) is simply not used.
    done.catch(() => {
      const i = list.indexOf(entry)
      if (i >= 0) list.splice(i, 1)
    })
    return entry
  }

  /** The clip's first timestamp, probed once per clip; null when it cannot be read. */
  private startTimeOf(path: string): Promise<number | null> {
    let known = this.startTimes.get(path)
    if (!known) {
      known = runTool(this.ffprobe, ['-v', 'error', '-show_entries', 'format=start_time', '-of', 'csv=p=0', path])
        .then(({ stdout }) => {
          const value = Number(stdout.toString('utf8').trim())
          return Number.isFinite(value) ? value : 0
        })
        .catch(() => null)
      this.startTimes.set(path, known)
    }
    return known
  }
}
