// A fed keyframe decoder's ffmpeg (fed-keyframes.ts), started as the worker starts, before the job
// says what it will decode. Debian's ffmpeg spends ~0.16 s loading its shared libraries before it
// reads an argument (`ffmpeg -version` here); started at once, that runs beside the worker's own
// start-up (its modules, the job, the inputs' indexes) instead of on the way to the first frame.
// Of its arguments only the filter graph depends on the job: it comes through fd 3 once known.
// The codec is a guess; a run that wants another ffmpeg, codec, thread count or loop filter stops
// this one and starts its own, as it would have anyway.
import type { Writable } from 'node:stream'
import { fedDecoderArgs, type FedCodec } from './ffmpeg-args'
import { startFrameDecoder, type FrameDecoder } from './frame-decoder'

/** What a fed decoder's ffmpeg is started with, besides its filters. */
export interface FedDecoderShape {
  ffmpeg: string
  codec: FedCodec
  threads: number
  skipLoopFilter: boolean
}

export interface WarmFedDecoder {
  /**
   * The started ffmpeg, if it has this shape: it is given `filters` and handed out (once), and
   * stops with `signal`. Otherwise null, and it is stopped.
   */
  take(shape: FedDecoderShape, filters: string, signal?: AbortSignal): Promise<FrameDecoder> | null
  /** Stops it unless it was handed out. */
  dispose(): void
}

export function startWarmFedDecoder(shape: FedDecoderShape): WarmFedDecoder {
  const stop = new AbortController()
  const started = startFrameDecoder(shape.ffmpeg, fedDecoderArgs(shape.codec, shape.threads, null, shape.skipLoopFilter), { signal: stop.signal, stdin: true, pipe3: true })
  // A start that failed (no such ffmpeg) is the taker's to report, through the decoder it gets.
  started.catch(() => {})
  let handedOut = false
  const dispose = (): void => {
    if (handedOut) return
    handedOut = true
    void started.then((d) => {
      // Its end is nobody's news.
      d.tool.done.catch(() => {})
      // ffmpeg defers SIGTERM until it has read its filters; with no work begun, nothing is lost.
      d.tool.child.kill('SIGKILL')
      d.stop()
    }, () => {})
  }
  return {
    take: (want, filters, signal) => {
      if (handedOut) return null
      if (want.ffmpeg !== shape.ffmpeg || want.codec !== shape.codec || want.threads !== shape.threads || want.skipLoopFilter !== shape.skipLoopFilter) {
        dispose()
        return null
      }
      handedOut = true
      if (signal?.aborted) stop.abort()
      else signal?.addEventListener('abort', () => stop.abort(), { once: true })
      return started.then((decoder) => {
        const script = decoder.tool.child.stdio[3] as Writable
        // An ffmpeg gone already closed its end: its exit says why.
        script.on('error', () => {})
        script.end(filters)
        return decoder
      })
    },
    dispose
  }
}
