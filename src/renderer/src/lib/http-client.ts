// DwellmapApi over HTTP, for the browser host. Every response is checked against the shared
// schemas: the page trusts nothing it did not validate.
import { z } from 'zod'
import { ResultListItemSchema, ResultViewSchema, type DwellmapApi } from '../../../shared/api'

const ErrorBodySchema = z.object({ error: z.string() })
const ResultListSchema = z.array(ResultListItemSchema)

export function createHttpApi(token: string | null): DwellmapApi {
  async function getJson(path: string): Promise<unknown> {
    if (!token) {
      throw new Error('This page needs its access link. Open the address Dwellmap printed when it started (it ends in #token=…).')
    }
    const response = await fetch(path, {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      cache: 'no-store'
    })
    const body: unknown = await response.json().catch(() => null)
    if (response.status === 401) {
      throw new Error('This access link is no longer valid. Open the address Dwellmap printed when it last started.')
    }
    if (!response.ok) {
      const parsed = ErrorBodySchema.safeParse(body)
      throw new Error(parsed.success ? parsed.data.error : `The app answered with status ${response.status}.`)
    }
    return body
  }

  return {
    async listResults() {
      return checked(ResultListSchema, await getJson('/api/results'))
    },
    async getResult(id) {
      return checked(ResultViewSchema, await getJson(`/api/results/${encodeURIComponent(id)}`))
    }
  }
}

export function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new Error('The app sent data this page does not understand. Is the app up to date?')
  return parsed.data
}
