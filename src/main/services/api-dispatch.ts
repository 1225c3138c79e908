// One call through the API table, as both hosts do it: the method must be in APP_API, the
// arguments must match its schema, and so must the result before it leaves the process.
import { APP_API, isAppMethod, parseArgs, type AppApi, type AppMethod } from '../../shared/app-api'

export class CallRejected extends Error {
  constructor(
    readonly reason: 'unknown-method' | 'invalid-arguments',
    message: string
  ) {
    super(message)
    this.name = 'CallRejected'
  }
}

export class InvalidResult extends Error {
  constructor(method: string) {
    super(`internal error: ${method} returned a result that does not match the API`)
    this.name = 'InvalidResult'
  }
}

/** Checks a call from an untrusted side; throws CallRejected with a plain message. */
export function parseCall(method: unknown, args: unknown): { method: AppMethod; args: unknown[] } {
  if (typeof method !== 'string' || !isAppMethod(method)) {
    throw new CallRejected('unknown-method', `no such method: ${String(method).slice(0, 64)}`)
  }
  try {
    return { method, args: parseArgs(method, args) as unknown[] }
  } catch (error) {
    throw new CallRejected('invalid-arguments', (error as Error).message)
  }
}

/** Calls a checked method and validates what it returns. */
export async function invokeChecked(api: AppApi, method: AppMethod, args: unknown[]): Promise<unknown> {
  const fn = api[method] as (...a: unknown[]) => Promise<unknown>
  const result = await fn(...args)
  const checked = APP_API[method].result.safeParse(result)
  if (!checked.success) {
    console.error(`${method} returned a result that does not match the API:`, checked.error.issues.slice(0, 3))
    throw new InvalidResult(method)
  }
  return checked.data
}
