// The renderer's view of the app. Implemented by the Electron preload (IPC) and by the browser
// host client (HTTP); the renderer never knows which. Payloads are checked with these schemas
// wherever they cross a process.
import { z } from 'zod'
import { SummarySchema } from './summary'

/** Result ids are directory names under the results root: no separators, no dot-dot. */
export const ResultIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/)
export type ResultId = z.infer<typeof ResultIdSchema>

export const ResultListItemSchema = z.object({
  id: ResultIdSchema,
  createdAt: z.string(),
  inputs: z.array(z.string()),
  method: z.string()
})
export type ResultListItem = z.infer<typeof ResultListItemSchema>

/** A heatmap reduced for display: row-major float32 values, base64 encoded. */
export const DisplayGridSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Size of one display cell in analysis-grid pixels. */
  cell: z.number().int().positive(),
  valuesBase64: z.string()
})
export type DisplayGrid = z.infer<typeof DisplayGridSchema>

export const ResultViewSchema = z.object({
  id: ResultIdSchema,
  summary: SummarySchema,
  grid: DisplayGridSchema,
  /** The reference frame as a PNG data URL, shown under the heatmap. */
  referenceDataUrl: z.string().startsWith('data:image/png;base64,')
})
export type ResultView = z.infer<typeof ResultViewSchema>

export interface DwellmapApi {
  listResults(): Promise<ResultListItem[]>
  getResult(id: ResultId): Promise<ResultView>
}

export function decodeGridValues(grid: DisplayGrid): Float32Array {
  const bin = atob(grid.valuesBase64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Float32Array(bytes.buffer)
}
