// Per-task checkpoints: after each finished clip (or clip segment) the sums so far are saved
// beside the results, so an analysis stopped by a cancel, a crash or a power cut resumes where it
// was instead of starting over. A checkpoint only applies to the very same analysis (same files,
// settings and reference); anything else starts afresh.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { PartialSums } from './partial-sums'
import { makeFolder } from '../runtime/make-folder'

const DIR = '.dwellmap-checkpoint'

const StateSchema = z.object({
  key: z.string(),
  doneTasks: z.array(z.string()),
  sampled: z.number().int(),
  used: z.number().int(),
  perClip: z.array(z.number().int()),
  usedPerHour: z.array(z.tuple([z.number().int(), z.number().int()])),
  problems: z.array(z.tuple([z.number().int(), z.string()])),
  hours: z.array(z.number().int()),
  sumsSha256: z.string()
})

/**
 * Identifies an analysis: what it reads, how (the decode tasks too: a run planned on another
 * number of cores cuts the day otherwise, and its finished tasks would be decoded again on top of
 * the saved sums), against which reference picture and with which mask pixels (a mask file
 * changed under the same name must not resume).
 */
export function checkpointKey(parts: unknown, pixels: { reference: Uint8Array; mask: Uint8Array | null }): string {
  const hash = createHash('sha256').update(JSON.stringify(parts)).update(pixels.reference)
  if (pixels.mask) hash.update('mask').update(pixels.mask)
  return hash.digest('hex')
}

export class Checkpoint {
  private readonly dir: string
  /** The save under way, if any. */
  private writing: Promise<void> = Promise.resolve()

  /** Whether a stopped run left anything in this output folder (whatever its settings). */
  static existsIn(outDir: string): boolean {
    return existsSync(join(outDir, DIR))
  }

  constructor(outDir: string, private readonly key: string) {
    this.dir = join(outDir, DIR)
  }

  /** Settles when no save is under way. */
  settled(): Promise<void> {
    return this.writing
  }

  /** The saved sums and the finished task ids, or null when there is nothing to resume. */
  async load(size: number, clipCount: number): Promise<{ sums: PartialSums; done: Set<string> } | null> {
    try {
      const state = StateSchema.parse(JSON.parse(await readFile(join(this.dir, 'state.json'), 'utf8')))
      if (state.key !== this.key || state.perClip.length !== clipCount) return null
      const sums = new PartialSums(size, clipCount)
      const data = await readFile(join(this.dir, 'sums.bin'))
      if (data.length !== size * 8 + state.hours.length * size * 4) return null
      if (createHash('sha256').update(data).digest('hex') !== state.sumsSha256) return null
      // Copies keep the typed arrays aligned whatever the buffer's offset.
      sums.seed.set(new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + size * 8)))
      state.hours.forEach((hour, i) => {
        const start = data.byteOffset + size * 8 + i * size * 4
        sums.hours.set(hour, new Float32Array(data.buffer.slice(start, start + size * 4)))
      })
      sums.sampled = state.sampled
      sums.used = state.used
      state.perClip.forEach((n, i) => (sums.perClip[i] = n))
      for (const [h, n] of state.usedPerHour) sums.usedPerHour.set(h, n)
      for (const [c, p] of state.problems) sums.problems.set(c, p)
      return { sums, done: new Set(state.doneTasks) }
    } catch {
      // Missing or damaged: start afresh rather than trust it.
      return null
    }
  }

  /**
   * Saves the sums and the tasks they hold as of this call. Tasks run side by side and another
   * may finish while the files are written: everything is copied before the first await, or the
   * task list could name a task whose sums are not in the file (a resumed run would then skip it).
   */
  save(sums: PartialSums, done: Set<string>): Promise<void> {
    const hours = [...sums.hours.keys()]
    const data = Buffer.concat([
      Buffer.from(sums.seed.buffer, sums.seed.byteOffset, sums.seed.byteLength),
      ...hours.map((h) => {
        const c = sums.hours.get(h)!
        return Buffer.from(c.buffer, c.byteOffset, c.byteLength)
      })
    ])
    const state = JSON.stringify({
      key: this.key, doneTasks: [...done], sampled: sums.sampled, used: sums.used, perClip: sums.perClip,
      usedPerHour: [...sums.usedPerHour], problems: [...sums.problems], hours,
      sumsSha256: createHash('sha256').update(data).digest('hex')
    })
    // One save at a time, in order: a later moment is never overwritten by an earlier one.
    const write = this.writing.then(() => this.write(data, state))
    this.writing = write.catch(() => {})
    return write
  }

  private async write(data: Buffer, state: string): Promise<void> {
    await makeFolder(this.dir)
    // The sums first, the state naming them (by hash) last: a crash between the two leaves a
    // state that does not match the sums, which is then ignored, never trusted.
    // Loaded when first needed: not on the way to an analysis's first frame (see run-analysis.ts).
    const { writeFileAtomic } = await import('../runtime/atomic-write')
    await writeFileAtomic(join(this.dir, 'sums.bin'), data)
    await writeFileAtomic(join(this.dir, 'state.json'), state)
  }

  async clear(): Promise<void> {
    await this.writing
    await rm(this.dir, { recursive: true, force: true })
  }
}
