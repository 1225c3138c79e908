// The one door from the renderer to the app. In Electron the preload exposed window.dwellmap (IPC);
// in a browser we talk HTTP to the browser host. Components never know which.
import { ResultListItemSchema, ResultViewSchema, type DwellmapApi } from '../../../shared/api'
import { z } from 'zod'
import { checked, createHttpApi } from './http-client'
import { takeSessionToken } from './session-token'

/** Answers from the preload cross a process too, so they are validated the same way. */
function validated(api: DwellmapApi): DwellmapApi {
  return {
    listResults: async () => checked(z.array(ResultListItemSchema), await plainErrors(api.listResults())),
    getResult: async (id) => checked(ResultViewSchema, await plainErrors(api.getResult(id)))
  }
}

/** Electron wraps errors from the main process as "Error invoking remote method 'x': Error: msg"; keep msg. */
async function plainErrors<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(message.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, ''), { cause: error })
  }
}

export function createApiClient(): DwellmapApi {
  if (window.dwellmap) return validated(window.dwellmap)
  return createHttpApi(takeSessionToken())
}
