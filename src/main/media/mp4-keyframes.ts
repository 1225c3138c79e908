// The keyframes of an H.264 or HEVC MP4/MOV clip, from the clip's own index (its moov box) without
// reading the frames: where each keyframe's bytes lie, when it is shown, and the parameter sets a
// decoder needs before them. With these, one ffmpeg can decode the keyframes of many short clips
// in a row (fed-keyframes.ts) instead of one ffmpeg starting per clip.
import { open, type FileHandle } from 'node:fs/promises'
import type { ISOFile, Sample } from 'mp4box'
import type { KeyframeIndex } from '../../shared/video-info'
import { indexDamage } from './mp4-index-check'

export interface IndexedKeyframe {
  offset: number
  size: number
  /** Seconds after the clip's first frame. */
  seconds: number
}

export interface Mp4Keyframes {
  codec: 'h264' | 'hevc'
  /** The parameter sets (H.264: SPS, PPS; HEVC: VPS, SPS, PPS) as an Annex B stream (start
   *  codes), to send before the clip's first keyframe. */
  parameterSets: Uint8Array
  /** Bytes of each NAL unit's length prefix in the samples (1, 2 or 4). */
  lengthSize: number
  keyframes: IndexedKeyframe[]
}

/** The index as a host hands it to the worker (see KeyframeIndexSchema). */
export function indexToWire(index: Mp4Keyframes): KeyframeIndex {
  const lengthSize = index.lengthSize
  if (lengthSize !== 1 && lengthSize !== 2 && lengthSize !== 4) throw new NotIndexed(`its NAL units have ${lengthSize}-byte lengths`)
  return { codec: index.codec, parameterSets: Buffer.from(index.parameterSets).toString('base64'), lengthSize, keyframes: index.keyframes }
}

/** The index a host handed over, as read here. */
export function indexFromWire(wire: KeyframeIndex): Mp4Keyframes {
  return { codec: wire.codec, parameterSets: new Uint8Array(Buffer.from(wire.parameterSets, 'base64')), lengthSize: wire.lengthSize, keyframes: wire.keyframes }
}

/** Why a clip's keyframes cannot be read this way; the clip is then decoded as before. */
export class NotIndexed extends Error {}

/**
 * Longer clips are read by ffmpeg itself: mp4box keeps an object per frame (~0.8 KB; measured:
 * 12 MB for the 15,000 frames of the 10-minute bench clip, 42 MB for 90,000), and ffmpeg reading
 * a long clip through its index is no slower than being fed.
 */
export const MAX_INDEXED_FRAMES = 20_000
/** Past this, a moov box cannot be an index of at most MAX_INDEXED_FRAMES frames (~4-12 bytes each). */
const MAX_MOOV_BYTES = 4 << 20
const START_CODE = [0, 0, 0, 1]

/**
 * Runs mp4box's (synchronous) parsing with the console quiet: it reports what it does not know
 * (e.g. a QuickTime '©TIM' tag) with console.error, and its quietest log level still does. The
 * worker's console is the user's terminal; what matters here ends up in NotIndexed.
 */
function quietly<T>(parse: () => T): T {
  const { error, warn } = console
  console.error = console.warn = () => {}
  try {
    return parse()
  } finally {
    console.error = error
    console.warn = warn
  }
}

let mp4box: Promise<typeof import('mp4box')> | null = null

/**
 * Loads mp4box (~40 ms) unless loaded: an analysis asks for it as it starts, so that it loads
 * while ffprobe runs rather than on the way to the first frame, and runs that never read an index
 * do not wait for it at all.
 */
export function loadMp4box(): Promise<typeof import('mp4box')> {
  return (mp4box ??= import('mp4box'))
}

/** How an analysis reads a clip's MP4 keyframes (see indexStore). */
export type IndexReader = (path: string) => Promise<Mp4Keyframes>

/** Names of files ffmpeg's MP4/MOV demuxer usually reads: only these are probed from their index. */
export const MP4_NAME = /\.(mp4|m4v|mov)$/i

/** The MP4 keyframes of one analysis's clips: those its probes read from the index are kept (a
 *  few KB a clip) for the empty scene and the batches; any other is read when asked. */
export interface IndexStore {
  keep(path: string, index: Mp4Keyframes): void
  read: IndexReader
}

export function indexStore(): IndexStore {
  const kept = new Map<string, Mp4Keyframes>()
  return {
    keep: (path, index) => void kept.set(path, index),
    read: (path) => {
      const index = kept.get(path)
      return index ? Promise.resolve(index) : readMp4Keyframes(path)
    }
  }
}

/** Reads the clip's top-level boxes up to the moov box and returns its video keyframes. */
export async function readMp4Keyframes(path: string): Promise<Mp4Keyframes> {
  return keyframesFromIndex(await readMp4Index(path))
}

/** The video keyframes of a parsed index (see readMp4Index). */
export function keyframesFromIndex(file: ISOFile): Mp4Keyframes {
  return keyframesOf(file.moov?.traks ?? [])
}

/** The clip's index as mp4box parses it (its top-level boxes up to the moov box, the media data
 *  skipped), once found whole (see indexDamage). */
export async function readMp4Index(path: string): Promise<ISOFile> {
  const fh = await open(path, 'r')
  try {
    const { size: total } = await fh.stat()
    // The boxes up to the index, for mp4box once the index is known to be worth parsing (a clip
    // too long to read this way does not load mp4box at all).
    const boxes: Array<{ bytes: Buffer; at: number }> = []
    const head = Buffer.alloc(16)
    let moov: { bytes: Buffer; at: number } | null = null
    for (let pos = 0; pos + 8 <= total && !moov; ) {
      await readExactly(fh, head.subarray(0, Math.min(16, total - pos)), pos)
      let size = head.readUInt32BE(0)
      const type = head.toString('latin1', 4, 8)
      if (size === 1) size = Number(head.readBigUInt64BE(8))
      else if (size === 0) size = total - pos
      if (size < 8 || pos + size > total) throw new NotIndexed(`the ${type} box at byte ${pos} runs past the end of the file`)
      if (type === 'moov' && size > MAX_MOOV_BYTES) throw new NotIndexed('it is too long to read this way')
      if (type === 'moof') throw new NotIndexed('it is fragmented')
      // Boxes before the index are read whole (mp4box parses them in order): a large one (a
      // recorder's padding or private data) is not worth the memory.
      if (type !== 'mdat' && type !== 'moov' && size > MAX_MOOV_BYTES) throw new NotIndexed(`its ${type} box is unusually large`)
      // The media data is skipped: mp4box only needs its header to know where the next box is.
      const length = type === 'mdat' ? Math.min(size, 16) : size
      const box = Buffer.alloc(length)
      await readExactly(fh, box, pos)
      if (type === 'moov' && mostSamples(box) > MAX_INDEXED_FRAMES) throw new NotIndexed('it is too long to read this way')
      boxes.push({ bytes: box, at: pos })
      if (type === 'moov') moov = { bytes: box, at: pos }
      pos += size
    }
    if (!moov) throw new NotIndexed('it has no index (moov box)')
    const { createFile, MP4BoxBuffer } = await loadMp4box()
    const mp4 = createFile()
    quietly(() => {
      for (const { bytes, at } of boxes) mp4.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), at))
      mp4.flush()
    })
    const { bytes: moovBytes, at } = moov
    // The entry count as written, right after the box's header (version and flags included).
    const damage = mp4.moov ? indexDamage(mp4.moov, total, (box) => moovBytes.readUInt32BE(box.start - at + box.hdr_size)) : null
    if (damage) throw new NotIndexed(damage)
    return mp4
  } finally {
    await fh.close()
  }
}

export type Trak = NonNullable<ISOFile['moov']>['traks'][number]

/** ffmpeg turns a rotated or mirrored clip upright from its track matrix, which a bare stream
 *  does not carry: only a track shown as stored is read this way. */
export function upright(track: Trak): boolean {
  const m = Array.from(track.tkhd?.matrix ?? [])
  return m.length === 9 && m[1] === 0 && m[3] === 0 && m[0] > 0 && m[4] > 0
}

function keyframesOf(traks: Trak[]): Mp4Keyframes {
  const video = traks.find((t) => t.mdia?.hdlr?.handler === 'vide')
  if (!video) throw new NotIndexed('it has no video track')
  if (!upright(video)) throw new NotIndexed('it is rotated or mirrored')
  const entries = video.mdia.minf.stbl.stsd.entries
  const entry = entries.length === 1 ? (entries[0] as { avcC?: AvcConfig; hvcC?: HevcConfig }) : {}
  const config = entry.avcC
    ? { codec: 'h264' as const, lengthSizeMinusOne: entry.avcC.lengthSizeMinusOne, units: [...entry.avcC.SPS, ...entry.avcC.PPS] }
    : entry.hvcC
      ? { codec: 'hevc' as const, lengthSizeMinusOne: entry.hvcC.lengthSizeMinusOne, units: entry.hvcC.nalu_arrays.flat() }
      : null
  if (!config) throw new NotIndexed('its video is not H.264 or HEVC with one sample description')
  const samples: Sample[] = video.samples ?? []
  if (samples.length === 0) throw new NotIndexed('its index lists no frames')
  // Without a keyframe table every frame counts as one, which ffmpeg does not take on trust.
  if (!video.mdia.minf.stbl.stss) throw new NotIndexed('it does not list its keyframes')
  const first = samples[0].cts
  const keyframes = samples
    .filter((s) => s.is_sync)
    .map((s) => ({ offset: s.offset, size: s.size, seconds: Math.max(0, (s.cts - first) / s.timescale) }))
  return { codec: config.codec, parameterSets: annexB(config.units.map((n) => n.data)), lengthSize: config.lengthSizeMinusOne + 1, keyframes }
}

interface AvcConfig {
  lengthSizeMinusOne: number
  SPS: Array<{ data: Uint8Array }>
  PPS: Array<{ data: Uint8Array }>
}

interface HevcConfig {
  lengthSizeMinusOne: number
  /** VPS, SPS, PPS (and SEI) arrays, in the order a decoder needs them. */
  nalu_arrays: Array<Array<{ data: Uint8Array }>>
}

function annexB(units: Uint8Array[]): Uint8Array {
  return Uint8Array.from(units.flatMap((u) => [...START_CODE, ...u]))
}

/** The last keyframe shown at or before `seconds` (the first one for a time before it). */
export function keyframeAtOrBefore(keyframes: IndexedKeyframe[], seconds: number): IndexedKeyframe {
  let lo = 0
  let hi = keyframes.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (keyframes[mid].seconds <= seconds + 1e-9) lo = mid
    else hi = mid - 1
  }
  return keyframes[lo]
}

/**
 * Turns a sample's length-prefixed NAL units into an Annex B stream, in place when the prefix is
 * four bytes (the usual case: a start code is four bytes too). Returns null when the lengths do
 * not add up to the sample: a damaged sample, left out rather than fed to the decoder as garbage.
 */
export function toAnnexB(sample: Buffer, lengthSize: number): Buffer | null {
  const parts: Buffer[] = []
  for (let p = 0; p < sample.length; ) {
    if (p + lengthSize > sample.length) return null
    const n = sample.readUIntBE(p, lengthSize)
    if (n === 0 || p + lengthSize + n > sample.length) return null
    if (lengthSize === 4) sample.writeUInt32BE(1, p)
    else parts.push(Buffer.from(START_CODE), sample.subarray(p + lengthSize, p + lengthSize + n))
    p += lengthSize + n
  }
  return lengthSize === 4 ? sample : Buffer.concat(parts)
}

/** The largest sample count of the moov's sample size boxes (stsz: size, type, version and
 *  flags, the common size, then the count), looked up before mp4box builds its per-frame list. */
function mostSamples(moov: Buffer): number {
  let most = 0
  for (let at = moov.indexOf('stsz', 8, 'latin1'); at >= 4 && at + 16 <= moov.length; at = moov.indexOf('stsz', at + 4, 'latin1')) {
    most = Math.max(most, moov.readUInt32BE(at + 12))
  }
  return most
}

async function readExactly(fh: FileHandle, into: Buffer, at: number): Promise<void> {
  const { bytesRead } = await fh.read(into, 0, into.length, at)
  if (bytesRead !== into.length) throw new NotIndexed(`the file ends at byte ${at + bytesRead}`)
}
