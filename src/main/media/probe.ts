// What a clip is: size, rate, length, codec. Turns ffprobe's answer, or its silence, into
// one plain sentence a shop owner can act on.
import { stat } from 'node:fs/promises'
import { z } from 'zod'
import { annexBCodec, opensWithStartCode, type AnnexBCodec } from './annexb-scan'
import { KEYFRAME_PACKETS_ARGS, meanGap, scanRawStream } from './keyframes'
import { keyframesFromIndex, MP4_NAME, readMp4Index, type Mp4Keyframes } from './mp4-keyframes'
import { answerFromIndex, answerFromParsedIndex } from './mp4-probe'
import { lastErrorLine, ProcessError, runTool } from './processes'
import type { VideoInfo } from '../../shared/video-info'

export type { VideoInfo } from '../../shared/video-info'

/** A problem with one input file, worded for the person who chose the file. */
export class InputError extends Error {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`)
  }
}

const FfprobeSchema = z.object({
  streams: z
    .array(
      z.object({
        index: z.number().optional(),
        codec_type: z.string().optional(),
        codec_name: z.string().optional(),
        pix_fmt: z.string().optional(),
        color_range: z.string().optional(),
        width: z.number().optional(),
        height: z.number().optional(),
        avg_frame_rate: z.string().optional(),
        r_frame_rate: z.string().optional(),
        nb_frames: z.string().optional(),
        duration: z.string().optional(),
        start_time: z.string().optional(),
        tags: z.record(z.string(), z.string()).optional(),
        side_data_list: z.array(z.object({ rotation: z.number().optional() }).loose()).optional()
      })
    )
    .default([]),
  format: z
    .object({
      format_name: z.string().optional(),
      duration: z.string().optional(),
      start_time: z.string().optional(),
      tags: z.record(z.string(), z.string()).optional()
    })
    .optional(),
  /** Only when asked for (probeVideoAndKeyframeGap). */
  packets: z.array(z.object({ stream_index: z.number().optional(), pts_time: z.string().optional(), flags: z.string().optional() })).optional()
})
export type FfprobeAnswer = z.infer<typeof FfprobeSchema>

function rate(text: string | undefined): number | null {
  if (!text) return null
  const [num, den] = text.split('/').map(Number)
  const value = den ? num / den : num
  return Number.isFinite(value) && value > 0 && value < 1000 ? value : null
}

function positive(text: string | undefined): number | null {
  const value = Number(text)
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : null
}

export async function checkReadable(path: string): Promise<{ size: number; mtimeMs: number }> {
  let info
  try {
    info = await stat(path)
  } catch {
    throw new InputError(path, 'file not found')
  }
  if (!info.isFile()) throw new InputError(path, 'is not a file')
  if (info.size === 0) throw new InputError(path, 'file is empty (0 bytes)')
  return { size: info.size, mtimeMs: info.mtimeMs }
}

/** ffmpeg's MP4/MOV demuxer ("mov,mp4,m4a,3gp,3g2,mj2"): the one that skips non-keyframes
 *  when asked (checked on ffmpeg 5.1 by remuxing one clip into each common container). */
const MOV_DEMUXER = /(^|,)mov(,|$)/

/** 8-bit planar YUV formats: their first plane is the luma, as extractplanes=y takes it. */
const PLANAR_YUV8 = /^yuvj?4(20|22|44|11|10)p$/

function lumaPlane(pixFmt: string | undefined, colorRange: string | undefined): Pick<VideoInfo, 'lumaPlane'> {
  if (!pixFmt || !PLANAR_YUV8.test(pixFmt)) return {}
  // The scaler's rule: yuvj formats and frames flagged "pc" are full range, the rest limited.
  return { lumaPlane: pixFmt.startsWith('yuvj') || colorRange === 'pc' ? 'full' : 'limited' }
}

/**
 * The frame grid of constant-rate footage: the nominal rate and the average agree, and where the
 * container counts its frames, the count fits the duration (a variable-rate clip fails one of the
 * two). Left out when unsure.
 */
function frameGrid(video: { avg_frame_rate?: string; r_frame_rate?: string; start_time?: string }, frames: number | null, duration: number | null): Pick<VideoInfo, 'frameGridStart'> {
  const avg = rate(video.avg_frame_rate)
  const nominal = rate(video.r_frame_rate)
  const start = Number(video.start_time)
  if (avg === null || nominal === null || video.start_time === undefined || !Number.isFinite(start)) return {}
  if (Math.abs(avg - nominal) > nominal * 1e-3) return {}
  if (frames !== null && duration !== null && Math.abs(frames - duration * avg) > 1) return {}
  return { frameGridStart: start }
}

export async function probeVideo(ffprobe: string, path: string, signal?: AbortSignal, onIndex?: IndexSink): Promise<VideoInfo> {
  return (await probe(ffprobe, path, [], signal, onIndex)).info
}

/**
 * probeVideo, and from the same ffprobe run the mean spacing of the video's keyframes over its
 * first two minutes (null when fewer than three): one ffprobe start-up (~0.2 s of CPU here) less
 * than probing and reading the spacing apart.
 */
export async function probeVideoAndKeyframeGap(ffprobe: string, path: string, signal?: AbortSignal, onIndex?: IndexSink): Promise<{ info: VideoInfo; keyframeGap: number | null }> {
  const { info, answer, videoIndex, rawKeyframeGap } = await probe(ffprobe, path, [...KEYFRAME_PACKETS_ARGS, '-show_entries', 'packet=stream_index,pts_time,flags'], signal, onIndex)
  return { info, keyframeGap: rawKeyframeGap !== undefined ? rawKeyframeGap : keyframeGapOf(answer, videoIndex) }
}

function keyframeGapOf(answer: FfprobeAnswer, videoIndex: number | undefined): number | null {
  const keyframes = (answer.packets ?? []).filter((p) => p.stream_index === videoIndex && p.flags?.includes('K')).map((p) => Number(p.pts_time))
  return meanGap(keyframes)
}

/**
 * probeVideoAndKeyframeGap for a clip whose MP4 index tells all, without ffprobe, and the
 * keyframes read from the index; null for any other clip (ffprobe then reads it, as probing does).
 * The CLI reads its inputs so while the analysis worker starts, and hands the worker the result.
 */
export async function probeFromIndex(path: string): Promise<{ info: VideoInfo; keyframeGap: number | null; keyframes: Mp4Keyframes } | null> {
  if (!MP4_NAME.test(path)) return null
  try {
    const file = await checkReadable(path)
    const fromIndex = await answerFromIndex(path)
    const { info, answer, videoIndex } = infoFromAnswer(path, file, fromIndex.answer)
    return { info, keyframeGap: keyframeGapOf(answer, videoIndex), keyframes: fromIndex.keyframes }
  } catch {
    // What is wrong with the clip is said by the probe that follows.
    return null
  }
}

/** ffprobe's answer for the clip; for a plain H.264 MP4/MOV clip, the same answer built from its
 *  index without starting ffprobe (mp4-probe.ts). A bare H.264/HEVC stream is also scanned
 *  (rawStream): `rawKeyframeGap` is then its keyframe spacing. */
async function probe(ffprobe: string, path: string, extraArgs: string[], signal?: AbortSignal, onIndex?: IndexSink): Promise<Probed> {
  const file = await checkReadable(path)
  const index = MP4_NAME.test(path) ? await readMp4Index(path).catch(() => null) : null
  if (signal?.aborted) throw new ProcessError('cancelled', '', null, null)
  // Any reason not to (not plain enough: HEVC, an edit list that shifts or cuts...; not an MP4 after all)
  // leaves the answer to ffprobe. The keyframes of a readable index are heard of either way: the
  // analysis would otherwise parse the same index again for them (~90 ms and ~10 MB of garbage
  // in the worker for 15,000 frames).
  const keyframes = index ? orNull(() => keyframesFromIndex(index)) : null
  // Only an index that lists its keyframes answers: without that table ffmpeg finds them in the
  // frames themselves where frames are reordered (B-frames), which the index cannot see.
  const answer = index && keyframes ? orNull(() => answerFromParsedIndex(index)) : null
  // A bare stream's packets have no time, so ffprobe asked for those of two minutes lists the
  // whole file (1.4-5.5 s for a 1.15 GB one here) and finds no spacing: its own scan tells instead.
  const bare = !answer && extraArgs.length > 0 && (await opensWithStartCode(path).catch(() => false))
  let ffAnswer = answer ?? (await runFfprobe(ffprobe, path, bare ? [] : extraArgs, signal))
  // ffmpeg's demuxers of bare Annex B streams are named after their codec.
  const codec = annexBCodec(ffAnswer.format?.format_name)
  // Opening with a start code but no bare H.264/HEVC stream after all (MPEG-4 part 2...).
  if (bare && !codec) ffAnswer = await runFfprobe(ffprobe, path, extraArgs, signal)
  const probed = infoFromAnswer(path, file, ffAnswer)
  if (keyframes) onIndex?.(path, keyframes)
  return codec ? { ...probed, ...(await rawStream(probed.info, codec, signal)) } : probed
}

interface Probed {
  info: VideoInfo
  answer: FfprobeAnswer
  videoIndex: number | undefined
  /** Set for a bare H.264/HEVC stream, whose keyframe spacing its scan gives (null: unknown). */
  rawKeyframeGap?: number | null
}

/** A bare H.264/HEVC stream as the engine needs it: the frames of the whole file (ffprobe knows
 *  no duration or count) and its keyframe spacing. */
async function rawStream(info: VideoInfo, codec: AnnexBCodec, signal?: AbortSignal): Promise<{ info: VideoInfo; rawKeyframeGap: number | null }> {
  const scan = await scanRawStream(info.path, codec, info.fps, { whole: true, signal })
  return { info: { ...info, rawStream: true, frameCount: scan.frames }, rawKeyframeGap: scan.keyframeGap }
}

function orNull<T>(read: () => T): T | null {
  try {
    return read()
  } catch {
    return null
  }
}

/** Hears of the keyframes a probe read from a clip's index (an analysis keeps them). */
export type IndexSink = (path: string, keyframes: Mp4Keyframes) => void

async function runFfprobe(ffprobe: string, path: string, extraArgs: string[], signal?: AbortSignal): Promise<FfprobeAnswer> {
  let stdout: Buffer
  try {
    ;({ stdout } = await runTool(
      ffprobe,
      ['-v', 'error', '-of', 'json', '-show_streams', '-show_format', ...extraArgs, path],
      signal
    ))
  } catch (err) {
    // Should listing the packets be what fails, the plain probe judges the clip, as probeVideo does.
    if (extraArgs.length > 0 && err instanceof ProcessError && err.message !== 'cancelled') return runFfprobe(ffprobe, path, [], signal)
    if (err instanceof ProcessError && err.message !== 'cancelled') {
      throw new InputError(path, `not a video ffmpeg can read (${unreadableReason(err.stderrTail, path) || err.message})`)
    }
    throw err
  }
  const parsed = FfprobeSchema.safeParse(JSON.parse(stdout.toString('utf8') || '{}'))
  if (!parsed.success) throw new InputError(path, 'ffprobe gave an answer that could not be understood')
  return parsed.data
}

/**
 * Why ffprobe could not read a clip, in the owner's words where ffmpeg's are known to puzzle:
 * an MP4 whose recording was cut off (a power cut, a full disk) has its frames but not its index,
 * which the recorder writes last, and ffmpeg only says its data is invalid.
 */
export function unreadableReason(stderr: string, path: string): string {
  if (/moov atom not found/.test(stderr)) return 'the recording stops before its index, as when the recorder loses power: export the clip again from the recorder'
  return lastErrorLine(stderr).replace(`${path}: `, '')
}

/** ffmpeg's demuxers of single images: image2 (by file name), png_pipe, jpeg_pipe, bmp_pipe... */
const IMAGE_DEMUXER = /^(image2|image2pipe|\w+_pipe)$/
/** Codecs of pictures rather than footage; with one frame, in any container, an image. (MJPEG
 *  footage, AVI or MKV with many frames, stays a video.) */
const IMAGE_CODECS = new Set(['png', 'apng', 'mjpeg', 'jpeg2000', 'jpegls', 'bmp', 'gif', 'tiff', 'webp', 'qoi', 'pam', 'ppm', 'pgm', 'pbm', 'targa', 'sgi', 'dpx', 'exr', 'photocd', 'pcx', 'xbm', 'xwd'])

/** The clip as the engine sees it, from ffprobe's answer (or the same answer read from the index). */
function infoFromAnswer(path: string, file: { size: number; mtimeMs: number }, answer: FfprobeAnswer): { info: VideoInfo; answer: FfprobeAnswer; videoIndex: number | undefined } {
  const video = answer.streams.find((s) => s.codec_type === 'video' && s.width && s.height)
  if (!video || !video.width || !video.height) {
    const audio = answer.streams.some((s) => s.codec_type === 'audio')
    throw new InputError(path, audio ? 'has sound but no picture (audio-only file)' : 'has no video stream')
  }
  // Still images (png, jpg) are single-frame "videos" to ffmpeg; footage has a duration or rate.
  const fps = rate(video.avg_frame_rate) ?? rate(video.r_frame_rate)
  const durationSeconds = positive(video.duration) ?? positive(answer.format?.duration)
  const nbFrames = positive(video.nb_frames)
  // ffmpeg gives an image a made-up rate (25/1), and a JPEG even a frame's duration: it would be
  // a one-frame clip (a heatmap.png dropped in with the footage, a snapshot), so it is refused here.
  if (IMAGE_DEMUXER.test(answer.format?.format_name ?? '') || (IMAGE_CODECS.has(video.codec_name ?? '') && (nbFrames ?? 1) <= 1)) {
    throw new InputError(path, 'is a still image, not a video')
  }
  const frameCount = nbFrames ?? (durationSeconds && fps ? Math.round(durationSeconds * fps) : null)
  const rotation = Math.abs(video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? Number(video.tags?.rotate ?? 0))
  // ffmpeg turns rotated footage upright while decoding, so the picture is what counts.
  const sideways = rotation % 180 === 90
  const info: VideoInfo = {
    path,
    bytes: file.size,
    width: sideways ? video.height : video.width,
    height: sideways ? video.width : video.height,
    fps,
    durationSeconds,
    frameCount,
    codec: video.codec_name ?? 'unknown',
    ...lumaPlane(video.pix_fmt, video.color_range),
    ...(MOV_DEMUXER.test(answer.format?.format_name ?? '') ? { keyframeIndex: true } : {}),
    startTime: Number(answer.format?.start_time) || 0,
    ...frameGrid(video, nbFrames, durationSeconds),
    creationTime: answer.format?.tags?.creation_time ?? video.tags?.creation_time,
    mtimeMs: file.mtimeMs
  }
  return { info, answer, videoIndex: video.index }
}
