// A private socket for a decoder's raw frames, on Linux. ffmpeg's stdout is otherwise a pipe that
// Node reads in 64 KB chunks, each a new buffer that is copied into the frame and later collected:
// ~2 ms of CPU a 1080p frame for the reader (measured on the bench clip, 0.65 ms this way). This
// socket is read with `onread` straight into the frame buffers. Its name lives in Linux's abstract
// namespace (no file is made), and the first connection must prove itself with a random token
// before ffmpeg is given its other end, so another local process connecting first gets nothing.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'

/** Where reads land: the reader reads into `into()` and reports each read to `read`. */
export interface ReadSink {
  /** The buffer the next read goes to (never empty). Asked after every read, and once at the start. */
  into(): Uint8Array
  /** `n` bytes were read into the last buffer `into` gave; false pauses reading. */
  read(n: number): boolean
}

export interface FrameSocket {
  /** The end ffmpeg writes to, given to it as its stdout; closed here once it has it. */
  childEnd: Socket
  /** The end read here. Paused until resumed, after setSink. */
  reader: Socket
  /** Points the reads at `sink`: call before resuming the reader. */
  setSink(sink: ReadSink): void
}

const TOKEN_BYTES = 16
/** Setting up takes ~1 ms; past this something is wrong, and the pipe serves instead. */
const SETUP_MS = 2000

/** `DWELLMAP_FRAME_TRANSPORT=pipe` keeps the stdout pipe (tests of that path; a way out in the field). */
function socketsWanted(): boolean {
  return process.platform === 'linux' && process.env.DWELLMAP_FRAME_TRANSPORT !== 'pipe'
}

/**
 * The first connection to `server` that sends `token` first; any other connection is closed, one
 * that sent a wrong token at once, the silent ones when this settles.
 */
export function peerWithToken(server: Server, token: Buffer): { peer: Promise<Socket>; cancel(): void } {
  const strangers = new Set<Socket>()
  let cancel = (): void => {}
  const peer = new Promise<Socket>((resolve, reject) => {
    const done = (): void => {
      server.off('connection', onConnection)
      for (const s of strangers) s.destroy()
    }
    cancel = () => {
      done()
      reject(new Error('cancelled'))
    }
    const onConnection = (socket: Socket): void => {
      strangers.add(socket)
      socket.on('error', () => socket.destroy())
      socket.on('readable', function check() {
        const got = socket.read(token.length) as Buffer | null
        if (got === null) return
        socket.off('readable', check)
        strangers.delete(socket)
        if (got.length !== token.length || !timingSafeEqual(got, token)) return void socket.destroy()
        done()
        resolve(socket)
      })
    }
    server.on('connection', onConnection)
  })
  peer.catch(() => {})
  return { peer, cancel }
}

/** A connected, private socket pair for one decoder, or null where the pipe must serve. */
export async function openFrameSocket(): Promise<FrameSocket | null> {
  if (!socketsWanted()) return null
  const token = randomBytes(TOKEN_BYTES)
  const name = `\0dwellmap-frames-${randomBytes(16).toString('hex')}`
  // Reads land here until setSink; none do: the reader is paused before ffmpeg starts. Node asks
  // for the first buffer when the reader is made.
  const idle = new Uint8Array(1)
  let sink: ReadSink = { into: () => idle, read: () => false }
  const server = createServer({ pauseOnConnect: true })
  const gate = peerWithToken(server, token)
  let reader: Socket | null = null
  const timer = setTimeout(gate.cancel, SETUP_MS)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(name, resolve)
    })
    const onread = {
      buffer: () => sink.into(),
      callback: (n: number, into: Uint8Array): boolean => {
        // The first read after setSink goes where Node was pointed before it: the placeholder.
        if (into === idle) sink.into().set(idle.subarray(0, n))
        return sink.read(n)
      }
    }
    const client = connect({ path: name, onread })
    reader = client
    client.on('error', gate.cancel)
    client.once('connect', () => {
      // Paused before anything can arrive: ffmpeg is given the other end only after the token.
      client.pause()
      client.write(token)
    })
    const childEnd = await gate.peer
    return { childEnd, reader: client, setSink: (s) => (sink = s) }
  } catch {
    gate.cancel()
    reader?.destroy()
    return null
  } finally {
    clearTimeout(timer)
    server.close()
  }
}
