// One ffmpeg process that turns raw yuv420p frames on its stdin into an H.264 MP4, with sensor
// noise added on the way (ffmpeg's noise filter is seeded and much faster than doing it here).
import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'

export interface EncoderOptions {
  ffmpegPath: string
  outPath: string
  width: number
  height: number
  fps: number
  gopFrames: number
  preset: 'veryfast' | 'ultrafast'
  crf: number
  threads: number
  /** ffmpeg noise filter strength; 0 for none. */
  noise: number
  noiseSeed: number
}

const STDERR_TAIL = 4000

function encoderArgs(o: EncoderOptions): string[] {
  // Temporal noise: a new pattern every frame, drawn from a fixed seed.
  const noise = o.noise > 0 ? ['-vf', `noise=alls=${o.noise}:allf=t:all_seed=${o.noiseSeed}`] : []
  return [
    '-hide_banner', '-loglevel', 'error', '-nostats',
    '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-video_size', `${o.width}x${o.height}`, '-framerate', String(o.fps),
    '-i', 'pipe:0',
    ...noise,
    '-c:v', 'libx264', '-preset', o.preset, '-crf', String(o.crf), '-pix_fmt', 'yuv420p', '-threads', String(o.threads),
    // Keyframes exactly every GOP: no extra ones at scene cuts such as a lighting switch.
    '-g', String(o.gopFrames), '-keyint_min', String(o.gopFrames), '-sc_threshold', '0',
    // No version strings or dates in the file, so the same frames give the same bytes.
    '-fflags', '+bitexact', '-flags:v', '+bitexact', '-map_metadata', '-1',
    '-f', 'mp4', '-y', o.outPath
  ]
}

export class Mp4Encoder {
  private readonly child: ChildProcessByStdio<Writable, null, Readable>
  private readonly exited: Promise<void>
  private stderrTail = ''

  constructor(options: EncoderOptions) {
    this.child = spawn(options.ffmpegPath, encoderArgs(options), { stdio: ['pipe', 'ignore', 'pipe'] })
    this.child.stderr.setEncoding('utf8')
    this.child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL)
    })
    // A broken pipe reaches us through the write callback and the exit status; without a
    // listener the stream's 'error' event would crash the process instead.
    this.child.stdin.on('error', () => undefined)
    this.exited = new Promise<void>((resolve, reject) => {
      this.child.once('error', reject)
      this.child.once('close', (code, signal) => {
        if (code === 0) resolve()
        else reject(new Error(`ffmpeg failed (${signal ?? `exit code ${code}`}): ${this.stderrTail.trim() || 'no message'}`))
      })
    })
    // Callers await exited only on the happy path or after a write failed; a failure while
    // nobody waits (e.g. after kill) must not become an unhandled rejection.
    this.exited.catch(() => undefined)
  }

  /** Resolves once ffmpeg's pipe has taken the whole frame: only then may the buffer be reused. */
  async write(frame: Buffer): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) => {
        this.child.stdin.write(frame, (err) => (err ? reject(err) : resolve()))
      })
    } catch (err) {
      // ffmpeg's own message says more than EPIPE does.
      await this.exited
      throw err
    }
  }

  /** Closes the input and waits for ffmpeg to finish the file. */
  async finish(): Promise<void> {
    this.child.stdin.end()
    await this.exited
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }
}
