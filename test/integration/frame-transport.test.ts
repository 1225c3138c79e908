// Frames come from ffmpeg through a private socket read straight into the frame buffers (Linux),
// or through its stdout pipe (elsewhere, or DWELLMAP_FRAME_TRANSPORT=pipe). Both must give the
// very same frames, in order, to consumers fast and slow, and the socket must reach no one else.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { openFrameSocket, peerWithToken } from '../../src/main/media/frame-socket'
import { startFrameDecoder } from '../../src/main/media/frame-decoder'
import { decodeGrayFrames, type GrayDecodeOptions } from '../../src/main/media/gray-frames'
import { runningProcessCount } from '../../src/main/media/processes'
import { testClipArgs } from '../helpers/test-clips'

const run = promisify(execFile)
const ff = locateFfmpeg()
const hash = (f: Uint8Array): string => createHash('sha1').update(f).digest('hex')
let clip: string

/** Full HD, so that a frame (2 MB) takes many reads; 60 frames with motion. */
beforeAll(async () => {
  clip = join(await mkdtemp(join(tmpdir(), 'dwellmap-transport-')), 'hd.mp4')
  await run(ff.ffmpeg, testClipArgs({ size: '1920x1080', rate: 25, seconds: 2.4, gop: 25, ultrafast: true }, clip))
}, 60_000)

afterEach(() => {
  delete process.env.DWELLMAP_FRAME_TRANSPORT
})

const options = (): GrayDecodeOptions => ({ ffmpeg: ff.ffmpeg, input: clip, width: 1920, height: 1080, sampling: { kind: 'every', n: 1 } })

/** Every frame's hash, the consumer taking `delay(k)` ms (asynchronously) over frame k. */
async function framesThrough(transport: 'socket' | 'pipe', delay?: (k: number) => number): Promise<string[]> {
  if (transport === 'pipe') process.env.DWELLMAP_FRAME_TRANSPORT = 'pipe'
  const seen: string[] = []
  let busy = false
  const count = await decodeGrayFrames(options(), (frame, k) => {
    // One frame at a time, in order, whatever the transport.
    expect(busy).toBe(false)
    expect(k).toBe(seen.length)
    seen.push(hash(frame))
    if (!delay) return
    busy = true
    return new Promise<void>((resolve) => setTimeout(() => {
      busy = false
      resolve()
    }, delay(k)))
  })
  expect(count).toBe(seen.length)
  delete process.env.DWELLMAP_FRAME_TRANSPORT
  return seen
}

describe('the frame socket', () => {
  it('is there on Linux, and not when the pipe is asked for', async () => {
    const socket = await openFrameSocket()
    expect(socket).not.toBeNull()
    socket?.reader.destroy()
    socket?.childEnd.destroy()
    process.env.DWELLMAP_FRAME_TRANSPORT = 'pipe'
    expect(await openFrameSocket()).toBeNull()
  })

  it('gives the frames the pipe gives, to a fast consumer and to one that falls behind', async () => {
    const piped = await framesThrough('pipe')
    expect(piped).toHaveLength(60)
    // Frames differ from each other (testsrc2 moves), so a lost or shifted byte would show.
    expect(new Set(piped).size).toBe(60)
    expect(await framesThrough('socket')).toEqual(piped)
    // Slow now and then, and at the end: reading stops and resumes; ffmpeg ends while frames wait.
    const slow = (k: number): number => (k >= 55 ? 40 : k % 5 === 0 ? 15 : 0)
    expect(await framesThrough('socket', slow)).toEqual(piped)
    expect(await framesThrough('pipe', slow)).toEqual(piped)
  }, 60_000)

  it('stops ffmpeg and fails with the consumer\'s error, leaving nothing running', async () => {
    const before = runningProcessCount()
    const decoding = decodeGrayFrames(options(), async (_f, k) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      if (k === 5) throw new Error('kernel failed at frame 5')
    })
    await expect(decoding).rejects.toThrow('kernel failed at frame 5')
    await expect.poll(() => runningProcessCount(), { timeout: 5000 }).toBe(before)
  })

  it('is closed again when ffmpeg cannot be started at all', async () => {
    const sockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'PipeWrap').length
    const before = { sockets: sockets(), running: runningProcessCount() }
    // Node refuses such an argument before any process exists.
    await expect(startFrameDecoder(ff.ffmpeg, ['bad\0argument'])).rejects.toThrow(/null bytes/)
    await expect.poll(sockets, { timeout: 2000 }).toBe(before.sockets)
    expect(runningProcessCount()).toBe(before.running)
  })

  it('is given only to the connection that brings the token: others are closed and get nothing', async () => {
    const name = `\0dwellmap-test-${randomBytes(8).toString('hex')}`
    const token = randomBytes(16)
    const server = createServer({ pauseOnConnect: true })
    await new Promise<void>((resolve) => server.listen(name, resolve))
    const gate = peerWithToken(server, token)
    const closed = (s: Socket): Promise<void> => new Promise((resolve) => s.once('close', () => resolve()))
    const received = (s: Socket): Buffer[] => {
      const got: Buffer[] = []
      s.on('data', (d: Buffer) => got.push(d))
      s.on('error', () => {})
      return got
    }
    // A stranger with a wrong token, and one that says nothing, both before the rightful reader.
    const wrong = connect({ path: name })
    const wrongGot = received(wrong)
    wrong.write(randomBytes(16))
    await closed(wrong)
    const silent = connect({ path: name })
    const silentGot = received(silent)
    await new Promise((resolve) => silent.once('connect', resolve))
    const reader = connect({ path: name })
    const readerGot = received(reader)
    reader.write(token)
    const peer = await gate.peer
    peer.write('frames')
    await closed(silent)
    await expect.poll(() => Buffer.concat(readerGot).toString(), { timeout: 2000 }).toBe('frames')
    expect(Buffer.concat(wrongGot).length + Buffer.concat(silentGot).length).toBe(0)
    peer.destroy()
    reader.destroy()
    server.close()
  }, 10_000)
})
