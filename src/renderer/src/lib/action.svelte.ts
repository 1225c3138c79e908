// A button's request: busy while it runs, its error kept for the page to show in plain words.
import { plainMessage } from './app-client'

export class Action {
  busy = $state(false)
  error = $state<string | null>(null)

  /** Runs `work`; returns its result, or undefined when it failed (the error is kept). */
  async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true
    this.error = null
    try {
      return await work()
    } catch (error) {
      this.error = plainMessage(error)
      return undefined
    } finally {
      this.busy = false
    }
  }

  clear(): void {
    this.error = null
  }
}
