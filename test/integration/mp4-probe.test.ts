// Probing a plain H.264 MP4/MOV clip from its own index instead of starting ffprobe: the engine must
// see exactly what ffprobe's answer gives it, or the clip must be left to ffprobe.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readH264Sps } from '../../src/main/media/h264-sps'
import { locateFfmpeg } from '../../src/main/media/ffmpeg-locator'
import { indexFromWire, indexToWire, readMp4Keyframes, type Mp4Keyframes } from '../../src/main/media/mp4-keyframes'
import { answerFromIndex, printSeconds } from '../../src/main/media/mp4-probe'
import { probeFromIndex, probeVideoAndKeyframeGap } from '../../src/main/media/probe'
import { KeyframeIndexSchema } from '../../src/shared/video-info'

const run = promisify(execFile)
const ff = locateFfmpeg()
let dir: string

const source = (seconds: number, size = '320x180', rate = '25'): string[] => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}:duration=${seconds}`]
const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast']
const x265 = ['-c:v', 'libx265', '-preset', 'ultrafast', '-x265-params', 'log-level=none']

/** Clips the index must read as ffprobe does: what recorders and ffmpeg commonly write. */
const plain: Array<[string, string[]]> = [
  ['plain.mp4', [...source(7), ...x264, '-g', '25', '-pix_fmt', 'yuv420p']],
  ['ntsc-rate.mp4', [...source(7, '320x180', '30000/1001'), ...x264, '-g', '30', '-pix_fmt', 'yuv420p']],
  ['odd-size-full-range.mp4', [...source(5, '318x178'), ...x264, '-pix_fmt', 'yuvj420p']],
  ['flagged-pc.mp4', [...source(5), ...x264, '-pix_fmt', 'yuv420p', '-color_range', 'pc']],
  ['flagged-tv.mp4', [...source(5), ...x264, '-pix_fmt', 'yuv420p', '-color_range', 'tv']],
  ['with-sound.mp4', [...source(5), '-f', 'lavfi', '-i', 'sine=duration=5', ...x264, '-c:a', 'aac', '-shortest']],
  ['baseline-15fps.mp4', [...source(5, '320x180', '15'), ...x264, '-profile:v', 'baseline']],
  ['created.mov', [...source(5), ...x264, '-metadata', 'creation_time=2024-03-11T08:00:00Z']],
  ['index-first.mp4', [...source(5), ...x264, '-g', '7', '-movflags', '+faststart']],
  // Longer than the two minutes whose keyframes a probe lists, with and without sound.
  ['long.mp4', [...source(130), ...x264, '-g', '50']],
  ['long-with-sound.mp4', [...source(130), '-f', 'lavfi', '-i', 'sine=duration=130', ...x264, '-g', '50', '-c:a', 'aac']],
  // B-frames: an edit skips the reordering delay so that the first frame is shown at zero.
  ['b-frames.mp4', [...source(5), '-c:v', 'libx264', '-bf', '2']],
  ['b-frames-ntsc-rate.mp4', [...source(7, '320x180', '30000/1001'), '-c:v', 'libx264', '-bf', '3', '-g', '30']],
  ['b-frames-long.mp4', [...source(130), '-c:v', 'libx264', '-preset', 'veryfast', '-g', '50']],
  ['b-frames-long-with-sound.mp4', [...source(130), '-f', 'lavfi', '-i', 'sine=duration=130', '-c:v', 'libx264', '-preset', 'veryfast', '-g', '50', '-c:a', 'aac']],
  // HEVC, as many recorders now write it: x265's B-frames and open GOPs, both sample entry tags.
  ['hevc.mp4', [...source(7), ...x265, '-g', '25']],
  ['hevc-hvc1-odd-size.mp4', [...source(5, '318x178'), ...x265, '-tag:v', 'hvc1']],
  ['hevc-full-range.mp4', [...source(5), ...x265, '-pix_fmt', 'yuvj420p']],
  ['hevc-ntsc-rate-with-sound.mp4', [...source(7, '320x180', '30000/1001'), '-f', 'lavfi', '-i', 'sine=duration=7', ...x265, '-c:a', 'aac', '-shortest']],
  ['hevc-scaling-lists-many-references.mp4', [...source(5), '-c:v', 'libx265', '-x265-params', 'log-level=none:scaling-list=default:ref=6:bframes=8:b-pyramid=1']],
  ['hevc-long.mp4', [...source(130), ...x265, '-g', '50']]
]

/** Clips left to ffprobe, and why. */
const refused: Array<[string, string[], RegExp]> = [
  // B-frames whose reordering delay no edit skips: the first frame is shown after zero.
  ['b-frames-no-edit.mp4', [...source(5), '-c:v', 'libx264', '-bf', '2', '-use_editlist', '0'], /edit list/],
  ['shifted.mp4', [...source(5), ...x264, '-output_ts_offset', '1'], /edit list/],
  ['422.mp4', [...source(5), ...x264, '-pix_fmt', 'yuv422p'], /8-bit 4:2:0/],
  ['colour-box.mov', [...source(5), ...x264, '-color_range', 'pc', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-movflags', '+write_colr'], /colour box/],
  ['mpeg4.mp4', [...source(5), '-c:v', 'mpeg4'], /not H\.264 or HEVC/],
  ['hevc-10-bit.mp4', [...source(5), ...x265, '-pix_fmt', 'yuv420p10le'], /8-bit 4:2:0/],
  ['fragmented.mp4', [...source(5), ...x264, '-movflags', 'frag_keyframe+empty_moov'], /fragmented/],
  // Every frame a keyframe: the index then has no keyframe table (stss), which a damaged index
  // can lack too (ffmpeg then finds the keyframes in the frames themselves).
  ['all-keyframes.mp4', [...source(5), ...x264, '-g', '1'], /does not list its keyframes/]
]

/** The probe's outcome, the engine's view or the message, with the clip's name left out. */
async function outcome(probing: Promise<Awaited<ReturnType<typeof probeVideoAndKeyframeGap>>>, path: string): Promise<unknown> {
  return probing.then(({ info, keyframeGap }) => ({ info: { ...info, path: 'CLIP' }, keyframeGap }), (err: Error) => err.message.replaceAll(path, 'CLIP').replace(/ @ 0x[0-9a-f]+\]/g, ' @ ADDRESS]'))
}

/** The byte offset of the first `type` box at or after `from`. */
function boxAt(bytes: Buffer, type: string, from = 0): number {
  const at = bytes.indexOf(type, from, 'latin1') - 4
  if (at < 0) throw new Error(`no ${type} box`)
  return at
}

/** Boxes that hold other boxes, and the bytes of their own before them (a sample description's
 *  entry count; an H.264 sample entry's picture fields). */
const CONTAINERS: Record<string, number> = { moov: 0, trak: 0, mdia: 0, minf: 0, stbl: 0, edts: 0, dinf: 0, udta: 0, stsd: 8, avc1: 78, hev1: 78 }

/** Boxes whose fields (after the bytes given) only decoding can check: which frames are keyframes
 *  (stss), where each frame lies (stsz's sizes, stsc's chunks, stco/co64's offsets), the parameter
 *  sets' contents (avcC, hvcC). */
const DECODE_CHECKED: Record<string, number> = { stss: 16, stsz: 12, stsc: 16, stco: 16, co64: 16, avcC: 8, hvcC: 8 }

/**
 * The byte offsets of the moov box the random damage may hit: its structure (box headers, tables'
 * counts, the headers of tracks, media and samples), not what only decoding can check (above) nor
 * the sound's sample description (the analysis does not use sound). ffprobe's packet listing
 * reads the frames themselves, so damage there can change its answer where the index cannot see
 * it; the decode then reports the clip by name.
 */
function damageable(bytes: Buffer): number[] {
  const offsets: number[] = []
  const walk = (from: number, to: number, sound: boolean): void => {
    for (let at = from; at + 8 <= to; ) {
      const size = bytes.readUInt32BE(at)
      const type = bytes.toString('latin1', at + 4, at + 8)
      if (size < 8 || at + size > to) return
      const inSound = sound || (type === 'trak' && bytes.subarray(at, at + size).includes('soun', 0, 'latin1'))
      const skip = inSound && type === 'stsd'
      // A container's own bytes are its header; its boxes are walked.
      const own = type in CONTAINERS ? 8 + CONTAINERS[type] : DECODE_CHECKED[type] ?? size
      for (let b = at; b < at + Math.min(size, own) && !skip; b++) offsets.push(b)
      if (type in CONTAINERS && !skip) walk(at + own, at + size, inSound)
      at += size
    }
  }
  const moov = boxAt(bytes, 'moov')
  walk(moov, moov + bytes.readUInt32BE(moov), false)
  return offsets
}

async function make(name: string, args: string[]): Promise<string> {
  const path = join(dir, name)
  await run(ff.ffmpeg, ['-v', 'error', '-y', ...args, path])
  return path
}

/** The clip probed through ffprobe: the same file under a name the index route does not take. */
async function byFfprobe(path: string): Promise<Awaited<ReturnType<typeof probeVideoAndKeyframeGap>>> {
  const link = join(dir, `${basename(path)}.ffprobe`)
  await symlink(path, link)
  const probed = await probeVideoAndKeyframeGap(ff.ffprobe, link)
  return { ...probed, info: { ...probed.info, path } }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dwellmap-mp4-probe-'))
}, 60_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('probing an MP4 clip from its index', () => {
  it.each(plain)('gives the engine what ffprobe gives it: %s', async (name, args) => {
    const path = await make(name, args)
    await expect(answerFromIndex(path)).resolves.toBeTruthy()
    let kept: Mp4Keyframes | null = null
    const fromIndex = await probeVideoAndKeyframeGap(ff.ffprobe, path, undefined, (p, keyframes) => {
      expect(p).toBe(path)
      kept = keyframes
    })
    expect(fromIndex).toEqual(await byFfprobe(path))
    // The keyframes read on the way are the clip's own, for the analysis to keep.
    expect(kept).toEqual(await readMp4Keyframes(path))
    // The same from the index alone (the CLI's reading for the worker), and through the wire.
    const alone = await probeFromIndex(path)
    expect(alone && { info: alone.info, keyframeGap: alone.keyframeGap }).toEqual(fromIndex)
    const wire = KeyframeIndexSchema.parse(JSON.parse(JSON.stringify(indexToWire(alone!.keyframes))))
    expect(indexFromWire(wire)).toEqual(kept)
  }, 60_000)

  it.each(refused)('leaves the clip to ffprobe when it is not plain: %s', async (name, args, why) => {
    const path = await make(name, args)
    await expect(answerFromIndex(path)).rejects.toThrow(why)
    expect(await probeFromIndex(path)).toBeNull()
    let kept: Mp4Keyframes | null = null
    const probed = await probeVideoAndKeyframeGap(ff.ffprobe, path, undefined, (_, keyframes) => (kept = keyframes))
    expect(probed).toEqual(await byFfprobe(path))
    // The keyframes its index lists are kept all the same where it lists them (B-frames: the
    // analysis feeds them), so that the analysis does not parse the index again.
    const own = await readMp4Keyframes(path).catch(() => null)
    expect(kept).toEqual(own)
    if (name === 'b-frames-no-edit.mp4') expect(own?.keyframes.length).toBeGreaterThan(0)
  }, 60_000)

  describe('a damaged index is left to ffprobe, which says what is wrong', () => {
    /** A copy of the clip with `damage` done to its bytes, probed both ways: same outcome. */
    async function sameAsFfprobe(clip: string, name: string, damage: (bytes: Buffer) => void): Promise<unknown> {
      const bytes = await readFile(clip)
      damage(bytes)
      const path = join(dir, name)
      await writeFile(path, bytes)
      const fromIndex = await outcome(probeVideoAndKeyframeGap(ff.ffprobe, path), path)
      const link = join(dir, `${name}.ffprobe`)
      await symlink(path, link)
      expect(fromIndex).toEqual(await outcome(probeVideoAndKeyframeGap(ff.ffprobe, link), link))
      return fromIndex
    }

    it('a sound frame said to be larger than the file, a table longer than its box', async () => {
      const clip = await make('damaged-source.mp4', [...source(5), '-f', 'lavfi', '-i', 'sine=duration=5', ...x264, '-g', '25', '-c:a', 'aac', '-shortest'])
      // ffmpeg refuses the whole clip for one bad size in any track ("Invalid sample size").
      const hugeSoundFrame = await sameAsFfprobe(clip, 'sound-size.mp4', (b) => b.writeUInt32BE(0x8000_0000, boxAt(b, 'stsz', b.indexOf('soun', 0, 'latin1')) + 20 + 4 * 3))
      expect(hugeSoundFrame).toMatch(/^CLIP: not a video ffmpeg can read/)
      await expect(answerFromIndex(join(dir, 'sound-size.mp4'))).rejects.toThrow(/cut short/)
      // mp4box would read the missing entries from the boxes after the table.
      const longTable = await sameAsFfprobe(clip, 'long-stsc.mp4', (b) => b.writeUInt32BE(b.readUInt32BE(boxAt(b, 'stsc') + 12) + 32, boxAt(b, 'stsc') + 12))
      expect(longTable).toMatch(/^CLIP: not a video ffmpeg can read/)
      await expect(answerFromIndex(join(dir, 'long-stsc.mp4'))).rejects.toThrow(/stsc table runs past its box/)
    }, 60_000)

    it('damaged parameter sets, chunk and keyframe tables', async () => {
      const clip = await make('damaged-tables.mp4', [...source(5), ...x264, '-g', '25'])
      const cases: Array<[string, (b: Buffer) => void, RegExp]> = [
        // The SPS's length (after version, profile, compatibility, level, length size, count), a
        // few bytes longer: mp4box reads them from the box after it.
        ['sps-length.mp4', (b) => b.writeUInt16BE(b.readUInt16BE(boxAt(b, 'avcC') + 8 + 6) + 8, boxAt(b, 'avcC') + 8 + 6), /parameter sets run past/],
        // The first chunk entry's sample description: there is only one.
        ['stsc-description.mp4', (b) => b.writeUInt32BE(7, boxAt(b, 'stsc') + 16 + 8), /chunk table is damaged/],
        // The second keyframe number before the first.
        ['stss-order.mp4', (b) => b.writeUInt32BE(0, boxAt(b, 'stss') + 16 + 4), /keyframe table is damaged/]
      ]
      for (const [name, damage, why] of cases) {
        await sameAsFfprobe(clip, name, damage)
        await expect(answerFromIndex(join(dir, name))).rejects.toThrow(why)
      }
      // HEVC's keyframes are read from the index too (for the decoder the worker feeds): its last
      // parameter set a few bytes longer (22 bytes, the array count; per array its type and count).
      const hevc = await make('damaged-hevc.mp4', [...source(2), '-c:v', 'libx265', '-x265-params', 'log-level=none', '-g', '25'])
      await expect(readMp4Keyframes(hevc)).resolves.toBeTruthy()
      const bytes = await readFile(hevc)
      let at = boxAt(bytes, 'hvcC') + 8 + 22
      let length = 0
      for (let arrays = bytes[at++]; arrays > 0; arrays--) {
        const sets = bytes.readUInt16BE(at + 1)
        at += 3
        for (let k = 0; k < sets; k++) {
          length = at
          at += 2 + bytes.readUInt16BE(at)
        }
      }
      bytes.writeUInt16BE(bytes.readUInt16BE(length) + 8, length)
      await writeFile(join(dir, 'hevc-set-length.mp4'), bytes)
      await expect(readMp4Keyframes(join(dir, 'hevc-set-length.mp4'))).rejects.toThrow(/parameter sets run past/)
    }, 60_000)

    it('bytes of the index changed at random: the same outcome as ffprobe\'s, every time', async () => {
      const clips = [
        await make('fuzz-index-last.mp4', [...source(5), '-f', 'lavfi', '-i', 'sine=duration=5', ...x264, '-g', '25', '-c:a', 'aac', '-shortest']),
        await make('fuzz-index-first.mp4', [...source(5), ...x264, '-g', '25', '-movflags', '+faststart']),
        // B-frames: a composition table and an edit list to damage too.
        await make('fuzz-b-frames.mp4', [...source(5), '-c:v', 'libx264', '-bf', '2', '-g', '25']),
        await make('fuzz-hevc.mp4', [...source(5), ...x265, '-g', '25'])
      ]
      let seed = 20261125
      const random = (n: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n)
      for (let i = 0; i < 60; i++) {
        const clip = clips[i % clips.length]
        await sameAsFfprobe(clip, `fuzz-${i}.mp4`, (b) => {
          const targets = damageable(b)
          for (let n = 1 + random(4); n > 0; n--) b[targets[random(targets.length)]] = random(256)
        })
      }
    }, 120_000)
  })

  it('reads the SPS as ffmpeg does: size after cropping, chroma layout, full range', async () => {
    const path = await make('sps.mp4', [...source(1, '318x178'), ...x264, '-pix_fmt', 'yuvj420p'])
    const { answer } = await answerFromIndex(path)
    expect(answer.streams[0]).toMatchObject({ width: 318, height: 178, pix_fmt: 'yuvj420p', color_range: 'pc' })
    // x264's 1080p High SPS: cropped from 1088 lines, no signal type in its VUI.
    const sps = Uint8Array.from([0x67, 0x64, 0x00, 0x28, 0xac, 0xd9, 0x40, 0x78, 0x02, 0x27, 0xe5, 0x84, 0x00, 0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x03, 0x00, 0xc8, 0x3c, 0x60, 0xc6, 0x58])
    expect(readH264Sps(sps)).toMatchObject({ width: 1920, height: 1080, chromaFormatIdc: 1, bitDepthLuma: 8, frameMbsOnly: true, fullRange: null })
    expect(readH264Sps(Uint8Array.from([0x68, 0xee, 0x3c, 0x80]))).toBeNull()
    expect(readH264Sps(sps.subarray(0, 8))).toBeNull()
    // Emulation prevention bytes before the fields read: a baseline SPS whose max_num_ref_frames
    // (ue, 2^24 - 1) is a long run of zero bits, which the encoder breaks with 03 bytes.
    const bits: number[] = []
    const u = (n: number, v: number): void => { for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(v / 2 ** i) % 2) }
    const ue = (v: number): void => { const len = Math.floor(Math.log2(v + 1)); u(len, 0); u(len + 1, v + 1) }
    u(8, 66); u(8, 0); u(8, 30); ue(0) // profile, constraints, level, id
    ue(0); ue(2) // log2_max_frame_num_minus4, pic_order_cnt_type 2
    ue(2 ** 24 - 1); u(1, 0) // max_num_ref_frames, gaps
    ue(19); ue(11); u(1, 1); u(1, 1) // 20 x 12 macroblocks, frames only, direct 8x8
    u(1, 1); ue(0); ue(2); ue(0); ue(6) // cropping: right 2 and bottom 6 chroma units
    u(1, 1); u(1, 0); u(1, 0); u(1, 1); u(3, 5); u(1, 1) // VUI: video signal type, full range
    u(1, 1); while (bits.length % 8) bits.push(0) // stop bit
    const rbsp = Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8).join(''), 2))
    const nal = [0x67]
    let zeros = 0
    for (const b of rbsp) {
      if (zeros >= 2 && b <= 3) { nal.push(3); zeros = 0 }
      nal.push(b)
      zeros = b === 0 ? zeros + 1 : 0
    }
    expect(nal.length).toBeGreaterThan(rbsp.length + 1)
    expect(readH264Sps(Uint8Array.from(nal))).toMatchObject({ profileIdc: 66, width: 316, height: 180, fullRange: true })
  })

  it('prints times as ffprobe does (C\'s %f: ties to even)', () => {
    expect(printSeconds(7)).toBe('7.000000')
    expect(printSeconds(210210 * (1 / 30000))).toBe('7.007000')
    // Exactly halfway between two microseconds: C rounds to the even one, toFixed(6) up.
    expect(printSeconds(600.0078125)).toBe('600.007812')
    expect(printSeconds(0.0234375)).toBe('0.023438')
    expect((600.0078125).toFixed(6)).toBe('600.007813')
    expect(printSeconds(1 / 3)).toBe('0.333333')
  })
})
