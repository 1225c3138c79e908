// A batch task's clips (decode-plan.ts): the keyframes of those whose index can be read go through
// one shared decoder; a clip whose index cannot be read is decoded on its own, and when the shared
// decoder fails on a clip, that clip is reported and the clips after it get a fresh decoder.
import { decodeFedKeyframes, type FedDecodeOptions } from '../media/fed-keyframes'
import { readMp4Keyframes, type IndexReader, type Mp4Keyframes } from '../media/mp4-keyframes'
import { InputError } from '../media/probe'

export interface BatchDecode {
  /** The batch's clips (day indices) and their paths, in order. */
  clips: Array<{ index: number; path: string }>
  fed: FedDecodeOptions
  /** Decodes one clip on its own (ffmpeg reading the file), frames to onFrame. */
  decodeAlone(clipIndex: number): Promise<unknown>
  onFrame(frame: Uint8Array, clipIndex: number, seconds: number): unknown
  onProblem(clipIndex: number, err: InputError): void
  /** Reads a clip's MP4 index (an analysis's store hands out those its probes read). */
  readIndex?: IndexReader
}

export async function decodeBatch(b: BatchDecode): Promise<void> {
  // Any reason not to read the index (not H.264, rotated, fragmented, unreadable) sends the clip
  // the usual way, which words its problem if it has one.
  // One at a time: each parse holds an object per frame of its clip until it is done.
  const indexes: Array<Mp4Keyframes | null> = []
  const read = b.readIndex ?? readMp4Keyframes
  for (const c of b.clips) indexes.push(await read(c.path).catch(() => null))
  for (let p = 0; p < b.clips.length; ) {
    if (!indexes[p]) {
      await alone(b, b.clips[p].index)
      p++
      continue
    }
    let end = p
    while (end < b.clips.length && indexes[end]?.codec === indexes[p]!.codec) end++
    const run = b.clips.slice(p, end)
    try {
      await decodeFedKeyframes(b.fed, run.map((c, i) => ({ path: c.path, index: indexes[p + i]! })), (frame, from) =>
        b.onFrame(frame, run[from.clip].index, from.seconds)
      )
      p = end
    } catch (err) {
      if (!(err instanceof InputError)) throw err
      const failed = Math.max(0, run.findIndex((c) => c.path === err.file))
      b.onProblem(run[failed].index, err)
      p += failed + 1
    }
  }
}

async function alone(b: BatchDecode, clipIndex: number): Promise<void> {
  try {
    await b.decodeAlone(clipIndex)
  } catch (err) {
    if (!(err instanceof InputError)) throw err
    b.onProblem(clipIndex, err)
  }
}
