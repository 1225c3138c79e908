// `dwellmap analyze`: footage in, result files out, in a worker process.
import { resolve } from 'node:path'
import { defaultSettings, type AnalysisSettings, type Method, type Reference, type Sample } from '../../shared/settings'
import type { Summary } from '../../shared/summary'
import type { AnalysisJob } from '../../shared/worker-protocol'
import { nodeWorkerLauncher, runJob } from '../analysis/host'
import { runLimited } from '../analysis/run-limited'
import { indexToWire } from '../media/mp4-keyframes'
import { probeFromIndex } from '../media/probe'
import { locateFfmpeg } from '../media/ffmpeg-locator'
import { refuseOtherKind } from '../results/result-set'
import { takeEarlyWorker } from './early-worker'
import { builtPaths } from './paths'
import { jsonView, terminalView } from './progress-view'

/** The options as read and checked (option-values.ts). */
export interface AnalyzeOptions {
  out: string
  method: Method
  reference?: Reference
  sample?: Sample
  width?: AnalysisSettings['width']
  blur?: number
  threshold?: number
  mask?: string
  kernel: 'auto' | 'opencv' | 'typescript'
  start?: string
  ffmpeg?: string
  json?: boolean
}

/** The options to settings; the method's defaults fill what was not given. */
export function settingsFromOptions(o: AnalyzeOptions): AnalysisSettings {
  const s = defaultSettings(o.method)
  if (o.reference !== undefined) s.reference = o.reference
  if (o.sample !== undefined) s.sample = o.sample
  if (o.width !== undefined) s.width = o.width
  if (o.blur !== undefined) s.blur = o.blur
  if (o.threshold !== undefined) s.threshold = o.threshold
  if (o.mask !== undefined) s.mask = resolve(o.mask)
  return s
}

/**
 * The inputs' MP4 indexes, read here while the worker starts (Node's start-up and its modules,
 * ~0.25 s with a core to spare) rather than by the worker on its way to the first frame: the
 * probes and keyframes of the clips that index tells all of, for the job (others: null, the
 * worker probes them). Two at a time: a long clip's parsed index is large until it is read.
 */
export async function readIndexes(inputs: string[]): Promise<Pick<AnalysisJob, 'probes' | 'indexes'>> {
  const probes: AnalysisJob['probes'] = inputs.map(() => null)
  const indexes: AnalysisJob['indexes'] = inputs.map(() => null)
  await runLimited([...inputs.keys()], 2, async (i) => {
    const read = await probeFromIndex(inputs[i])
    if (!read) return
    try {
      indexes[i] = indexToWire(read.keyframes)
      probes[i] = { ...read.info, keyframeGap: read.keyframeGap }
    } catch {
      // An index the worker could not be handed: the worker reads the clip itself.
    }
  })
  return probes.some((p) => p !== null) ? { probes, indexes } : {}
}

export async function analyze(videos: string[], o: AnalyzeOptions, signal?: AbortSignal): Promise<Summary> {
  const settings = settingsFromOptions(o)
  const ff = locateFfmpeg(o.ffmpeg ?? process.env.FFMPEG_PATH)
  const job: AnalysisJob = {
    inputs: videos.map((v) => resolve(v)),
    outDir: resolve(o.out),
    settings,
    ffmpegPath: ff.ffmpeg,
    ffprobePath: ff.ffprobe,
    kernel: o.kernel,
    ...(o.start !== undefined ? { dayStart: o.start } : {})
  }
  // Said now rather than after the decoding (writeResults would refuse then too).
  refuseOtherKind(job.outDir, 'analysis')
  Object.assign(job, await readIndexes(job.inputs))
  const view = o.json ? jsonView() : terminalView()
  try {
    return await runJob(nodeWorkerLauncher(builtPaths.worker, (j) => takeEarlyWorker(j.settings.width)), job, {
      onProgress: (p) => view.progress(p),
      onWarning: (p) => view.warning(p),
      signal
    })
  } finally {
    view.stop()
  }
}
