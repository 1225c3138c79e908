// Entry point of the analysis worker process. Electron starts it as a utilityProcess, plain Node
// (CLI, browser host, tests) with child_process.fork; the protocol is the same either way
// (worker-session.ts). Before the engine loads (zod, the analysis modules: ~0.1 s here), it starts
// the ffmpeg its launcher named, for the job's first fed decoder (media/warm-fed-decoder.ts).
import { availableParallelism } from 'node:os'
import { isAbsolute } from 'node:path'
import { skipsLoopFilter } from '../media/ffmpeg-args'
import { startWarmFedDecoder, type WarmFedDecoder } from '../media/warm-fed-decoder'
import { WARM_FFMPEG_ENV } from '../runtime/fork-worker'
import { indexedDecoderThreads } from './decode-plan'

function warmFromEnvironment(): WarmFedDecoder | null {
  const ffmpeg = process.env[WARM_FFMPEG_ENV]
  // Not passed on to the tools this process starts.
  delete process.env[WARM_FFMPEG_ENV]
  // Only a launcher's absolute path is run: nothing is looked up on PATH here.
  if (!ffmpeg || !isAbsolute(ffmpeg)) return null
  // A forked worker whose host has gone already (a CLI ending on a usage mistake) has no job coming.
  if (process.send && !process.connected) return null
  // H.264: most cameras' codec. The threads are those of the decoder that takes it; only
  // occupancy runs get a warm ffmpeg (warmFfmpegFor).
  return startWarmFedDecoder({ ffmpeg, codec: 'h264', threads: indexedDecoderThreads(availableParallelism()), skipLoopFilter: skipsLoopFilter('occupancy') })
}

const warm = warmFromEnvironment()
// A host gone before the session listens: the ffmpeg, waiting for its filters on a pipe this
// process holds, would keep both alive.
if (warm) process.once('disconnect', () => warm.dispose())
const { serveAnalysis } = await import('./worker-session')
serveAnalysis(warm)
