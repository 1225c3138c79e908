// Requests where only the newest counts: the owner changes the day, the days or the time window
// faster than the app answers, and an older answer (or error) must never replace a newer one.

export interface NewestWinsHandlers<T> {
  answer(value: T): void
  failed(message: string): void
  /** True while the newest request runs. */
  busy(on: boolean): void
}

export interface NewestWins<T> {
  /** Runs `work`; what it answers or throws is passed on only if no newer run has started. */
  run(work: () => Promise<T>): Promise<void>
}

export function newestWins<T>(handlers: NewestWinsHandlers<T>): NewestWins<T> {
  let latest = 0
  return {
    async run(work) {
      const request = ++latest
      handlers.busy(true)
      try {
        const value = await work()
        if (request === latest) handlers.answer(value)
      } catch (error) {
        if (request === latest) handlers.failed(error instanceof Error ? error.message : String(error))
      } finally {
        if (request === latest) handlers.busy(false)
      }
    }
  }
}
