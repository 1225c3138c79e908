// Whether an MP4 index, as mp4box parsed it, is one ffmpeg reads the same way. A damaged index is
// left to ffmpeg, which stops at it with its own message ("error reading header", "Invalid sample
// size") or reads it otherwise. mp4box is lenient where ffmpeg is not: it reads a table's entries
// past the end of its box (from the boxes after it), stops a list at the first entry it cannot
// parse and keeps the rest, and builds frames from any table without a word.
// Not seen here: damage to where single frames lie or which are keyframes (sizes, chunks,
// offsets, keyframe numbers that still make sense) and to the parameter sets' contents, which only
// reading the frames shows (ffprobe's packet listing parses them, so its keyframe spacing can
// differ there); the decode reports such a clip by its name.
import type { ISOFile } from 'mp4box'

type Moov = NonNullable<ISOFile['moov']>
type Trak = Moov['traks'][number]

/** A parsed box, as far as these checks look at it. */
interface ParsedBox {
  type: string
  start: number
  size: number
  hdr_size: number
  boxes?: ParsedBox[]
  entries?: unknown[]
}

/** Boxes that hold nothing but other boxes, on the way to the tables. */
const PURE_CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'dinf', 'edts'])

/** Bytes between each table box's header (mp4box's hdr_size: version and flags included) and its
 *  entries (the entry count; for stsz the common size too), and the bytes of one entry. */
const TABLE_LAYOUT = { stts: [4, 8], ctts: [4, 8], stss: [4, 4], stsc: [4, 12], stco: [4, 4], co64: [4, 8], stsz: [8, 4] } as const

interface TableBox {
  size: number
  hdr_size: number
  version?: number
  sample_counts?: ArrayLike<number>
  sample_numbers?: ArrayLike<number>
  first_chunk?: ArrayLike<number>
  chunk_offsets?: ArrayLike<number>
  sample_size?: number
  sample_sizes?: ArrayLike<number>
  entries?: unknown[]
}

/** The entries a table box holds in the file (a constant-size stsz lists its sizes only in mp4box). */
function entriesOf(box: TableBox): number {
  if (box.sample_sizes) return box.sample_size === 0 ? box.sample_sizes.length : 0
  return (box.sample_counts ?? box.sample_numbers ?? box.first_chunk ?? box.chunk_offsets ?? box.entries ?? []).length
}

/**
 * What is damaged in the index, or null when it is whole: boxes nest as their sizes say, every
 * list and table holds the entries it declares, the chunk and keyframe tables are ones ffmpeg
 * reads as written, the parameter sets fit in their box, and every frame of every track lies
 * within the file (a clip cut short, its index first, fails this). `declared`: a list box's entry
 * count as written.
 */
export function indexDamage(moov: Moov, fileBytes: number, declared: (box: ParsedBox) => number): string | null {
  const nesting = nestingDamage(moov as unknown as ParsedBox)
  if (nesting) return nesting
  for (const trak of moov.traks ?? []) {
    const minf = trak.mdia?.minf as unknown as { dinf?: { dref?: ParsedBox }; stbl?: { stsd?: ParsedBox } } | undefined
    for (const list of [minf?.dinf?.dref, minf?.stbl?.stsd]) {
      if (list && list.entries?.length !== declared(list)) return `its ${list.type} box is damaged`
    }
    // ffmpeg reads a media header of versions 0 and 1 only (mp4box any other as 0).
    if ((trak.mdia?.mdhd?.version ?? 0) > 1) return 'its media header has an unknown version'
    const damage = tableDamage(trak) ?? chunkDamage(trak) ?? keyframeNumberDamage(trak) ?? parameterSetDamage(trak)
    if (damage) return damage
    if ((trak.samples ?? []).some((s) => s.offset + s.size > fileBytes)) return 'the file is cut short'
  }
  return null
}

/** A box that runs past its container ends mp4box's parsing of the container there. */
function nestingDamage(box: ParsedBox): string | null {
  if (!PURE_CONTAINERS.has(box.type)) return null
  const children = box.boxes ?? []
  if (children.reduce((sum, child) => sum + child.size, 0) !== box.size - box.hdr_size) return `its ${box.type} box is damaged`
  for (const child of children) {
    const damage = nestingDamage(child)
    if (damage) return damage
  }
  return null
}

function tableDamage(trak: Trak): string | null {
  const stbl = trak.mdia?.minf?.stbl as unknown as Record<string, TableBox | undefined> | undefined
  for (const [type, [fixed, entry]] of Object.entries(TABLE_LAYOUT)) {
    const box = stbl?.[type]
    if (box && box.size - box.hdr_size < fixed + entriesOf(box) * entry) return `its ${type} table runs past its box`
  }
  // An edit list's entries are 12 bytes, or 20 in its 64-bit version.
  const elst = trak.edts?.elst as unknown as TableBox | undefined
  if (elst && elst.size - elst.hdr_size < 4 + entriesOf(elst) * (elst.version === 1 ? 20 : 12)) return 'its elst table runs past its box'
  return null
}

/** Chunks numbered from 1 upwards, within the chunk offsets, each with frames of a description. */
function chunkDamage(trak: Trak): string | null {
  const stbl = trak.mdia?.minf?.stbl
  const stsc = stbl?.stsc
  if (!stsc) return null
  const chunks = (stbl.stco ?? stbl.co64)?.chunk_offsets.length ?? 0
  const descriptions = stbl.stsd?.entries.length ?? 0
  const whole = stsc.first_chunk.every((first, i) => first >= (i === 0 ? 1 : stsc.first_chunk[i - 1] + 1) && first <= chunks && stsc.samples_per_chunk[i] >= 1 && stsc.sample_description_index[i] >= 1 && stsc.sample_description_index[i] <= descriptions)
  return whole ? null : 'its chunk table is damaged'
}

/** Keyframe numbers rising, each a frame of the track. */
function keyframeNumberDamage(trak: Trak): string | null {
  const numbers = trak.mdia?.minf?.stbl?.stss?.sample_numbers ?? []
  const frames = trak.samples?.length ?? 0
  return Array.from(numbers).every((n, i) => n >= (i === 0 ? 1 : numbers[i - 1] + 1) && n <= frames) ? null : 'its keyframe table is damaged'
}

/** The parameter sets' configuration must hold the sets it lists; mp4box reads a set longer than
 *  the box from the box after it. H.264 (avcC): version to SPS count (6 bytes), each SPS and PPS
 *  with its 2-byte length, the PPS count. HEVC (hvcC): 22 bytes and the array count, then per
 *  array its type and count (3 bytes), each set with its 2-byte length. */
function parameterSetDamage(trak: Trak): string | null {
  for (const entry of trak.mdia?.minf?.stbl?.stsd?.entries ?? []) {
    const { avcC, hvcC } = entry as {
      avcC?: ParsedBox & { SPS: Array<{ length: number }>; PPS: Array<{ length: number }> }
      hvcC?: ParsedBox & { nalu_arrays: Array<Array<{ data: Uint8Array }>> }
    }
    const sets = (units: Array<{ length: number } | { data: Uint8Array }>): number => units.reduce((sum, unit) => sum + 2 + ('length' in unit ? unit.length : unit.data.length), 0)
    const needed = avcC ? 7 + sets([...avcC.SPS, ...avcC.PPS]) : hvcC ? 23 + hvcC.nalu_arrays.reduce((sum, array) => sum + 3 + sets(array), 0) : 0
    const box = avcC ?? hvcC
    if (box && box.size - box.hdr_size < needed) return 'its parameter sets run past their box'
  }
  return null
}
