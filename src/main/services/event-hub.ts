// Fans AppEvents out to whoever listens: the browser host's event streams, the Electron window.
import type { AppEvent } from '../../shared/app-api'

export type AppEventListener = (event: AppEvent) => void

export class EventHub {
  private readonly listeners = new Set<AppEventListener>()

  /** Bound, so it can be handed to createAppService as `emit`. */
  readonly emit = (event: AppEvent): void => {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (error) {
        // One broken listener (a closed stream) must not starve the others.
        console.error('event listener failed:', error)
      }
    }
  }

  subscribe(listener: AppEventListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  get size(): number {
    return this.listeners.size
  }
}
