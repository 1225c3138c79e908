// What each option's value may be, read as the option is: a bad value is a usage mistake (status
// 2, one line: commands.ts) that says what is allowed. Values are checked against the same schemas
// and specs as before, so what is accepted stays the same; only the wording is the CLI's own.
import { resolve } from 'node:path'
import { InvalidArgumentError, Option } from 'commander'
import type { z } from 'zod'
import { AnalysisSettingsSchema, parseReference, parseSample, ReferenceSchema, SampleSchema, type Reference, type Sample } from '../../shared/settings'
import { WallClockSchema } from '../../shared/wall-clock'
import { assertValidSpec, benchClip } from '../footage/clip-spec'

/** A parser for commander: the value `read` makes of the text, or (undefined, or thrown) `allowed`. */
function valueOf<T>(allowed: string, read: (text: string) => T | undefined): (text: string) => T {
  return (text) => {
    let value: T | undefined
    try {
      value = read(text)
    } catch {
      value = undefined
    }
    if (value === undefined) throw new InvalidArgumentError(allowed)
    return value
  }
}

function valid<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value)
  return parsed.success ? parsed.data : undefined
}

const settings = AnalysisSettingsSchema.shape
const [gridWidth] = settings.width.options

export const widthValue = valueOf(`a number of pixels from ${gridWidth.minValue} to ${gridWidth.maxValue}, or native`, (text) =>
  valid(settings.width, text === 'native' ? 'native' : Number(text)))

export const blurValue = valueOf('an odd number of pixels (1, 3, 5, ...)', (text) => {
  const blur = valid(settings.blur, Number(text))
  return blur !== undefined && blur % 2 === 1 ? blur : undefined
})

export const thresholdValue = valueOf(`a grey level from ${settings.threshold.minValue} to ${settings.threshold.maxValue}`, (text) =>
  valid(settings.threshold, Number(text)))

export const sampleValue = valueOf<Sample>('auto, every:N, fps:X or keyframes', (text) => valid(SampleSchema, parseSample(text)))

// An image's path is made absolute first, as the analysis has always read it (an empty one too).
export const referenceValue = valueOf<Reference>('auto, frame:N, time:SECONDS or an image file', (text) => {
  const ref = parseReference(text)
  return valid(ReferenceSchema, ref.kind === 'image' ? { kind: 'image', path: resolve(ref.path) } : ref)
})

export const startValue = valueOf('a real date and time as YYYY-MM-DDTHH:MM:SS, e.g. 2026-03-09T08:00:00', (text) => valid(WallClockSchema, text))

export const portValue = valueOf('a port number from 0 to 65535 (0: a free one)', (text) => {
  const port = Number(text)
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : undefined
})

// The clip itself says what length it can be (at least one frame); Infinity would never end.
export const secondsValue = valueOf(`a length in seconds of at least one frame (at ${benchClip(1).fps} fps)`, (text) => {
  const seconds = Number(text)
  if (!Number.isFinite(seconds)) return undefined
  assertValidSpec(benchClip(seconds))
  return seconds
})

/** One of `values` (listed in --help as commander's choices), or a line saying which. */
export function oneOf<T extends string>(option: Option, values: readonly T[]): Option {
  const allowed = `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`
  return option.choices(values).argParser(valueOf(allowed, (text) => values.find((v) => v === text)))
}
