// Errors the user can cause (a missing day, a bad folder, a day still running), each with one
// plain sentence naming what is wrong. Hosts show the message as is and map the code to a status.

export type AppErrorCode = 'invalid' | 'not-found' | 'conflict' | 'superseded'

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOENT' || code === 'ENOTDIR'
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
