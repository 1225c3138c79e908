// What probing a clip found: the engine plans its decodes from it, and the app keeps it with each
// clip of a day so that neither the analysis nor the empty-scene preview probes the clip again.
// Checked at runtime where it crosses a process (analysis jobs) or comes from disk (projects).
import { z } from 'zod'

export const VideoInfoSchema = z.object({
  path: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  fps: z.number().positive().nullable(),
  durationSeconds: z.number().positive().nullable(),
  /** Exact when the container says so (or a bare stream's frames are counted: rawStream), else
   *  estimated from duration and rate, else null. */
  frameCount: z.number().nonnegative().nullable(),
  codec: z.string(),
  /**
   * Set when frames are 8-bit planar YUV, so the grey picture is the Y plane itself: its range
   * (limited 16-235 or full 0-255) as ffmpeg's scaler will read it.
   */
  lumaPlane: z.enum(['limited', 'full']).optional(),
  /**
   * The container indexes its keyframes and ffmpeg's demuxer honours `-discard nokey` for it
   * (MP4/MOV, what most recorders export): keyframes can be read without touching the frames in
   * between. Other demuxers (Matroska, MPEG-TS, AVI, raw streams) hand every packet on.
   */
  keyframeIndex: z.boolean().optional(),
  /**
   * A bare H.264/HEVC stream (Annex B, no container: no duration, no index). Its frames and
   * keyframe spacing come from a scan of its NAL units (media/annexb-scan.ts): `frameCount` is
   * then the frames of the whole file.
   */
  rawStream: z.literal(true).optional(),
  /** First timestamp of the container (seconds); segment bounds are measured from it. */
  startTime: z.number(),
  /**
   * Set for constant-rate footage: the time (s) of the first frame, frame k being at
   * frameGridStart + k / fps. A decode can then start at a given frame exactly (decode-plan.ts).
   */
  frameGridStart: z.number().optional(),
  /** The container's creation_time tag, when the recorder wrote one. */
  creationTime: z.string().optional(),
  /** With `bytes`, tells whether the file is still the one that was probed. */
  mtimeMs: z.number()
})
export type VideoInfo = z.infer<typeof VideoInfoSchema>

/**
 * Where a clip's keyframes lie, as its MP4 index lists them (media/mp4-keyframes.ts), for a host
 * that read the index to hand to the worker: the parameter sets as base64, the rest as numbers.
 */
export const KeyframeIndexSchema = z.object({
  codec: z.enum(['h264', 'hevc']),
  parameterSets: z.base64().min(1),
  lengthSize: z.union([z.literal(1), z.literal(2), z.literal(4)]),
  keyframes: z.array(z.object({
    offset: z.number().int().nonnegative(),
    size: z.number().int().positive(),
    seconds: z.number().nonnegative()
  })).min(1)
})
export type KeyframeIndex = z.infer<typeof KeyframeIndexSchema>

/** A probe kept for later: the clip, and the mean spacing of its keyframes (s; null if unknown). */
export const KeptProbeSchema = VideoInfoSchema.extend({ keyframeGap: z.number().positive().nullable() })
export type KeptProbe = z.infer<typeof KeptProbeSchema>

/** A kept probe as the clip and the spacing of its keyframes (the shape probing returns). */
export function splitKept(kept: KeptProbe): { info: VideoInfo; keyframeGap: number | null } {
  const { keyframeGap, ...info } = kept
  return { info, keyframeGap }
}

/** True when a kept probe still describes the file as it is now (same size, same modification time). */
export function stillMatches(kept: Pick<VideoInfo, 'bytes' | 'mtimeMs'>, now: { size: number; mtimeMs: number }): boolean {
  return kept.bytes === now.size && kept.mtimeMs === now.mtimeMs
}

/** Whether two clips' frames can go through one decoder and one filter chain: the same codec,
 *  and luma stored in the same range (the grey conversion expands limited range, or not). */
export function sameStreamKind(a: Pick<VideoInfo, 'codec' | 'lumaPlane'>, b: Pick<VideoInfo, 'codec' | 'lumaPlane'>): boolean {
  return a.codec === b.codec && a.lumaPlane === b.lumaPlane
}
