import type { ApiEvent } from '@shared/api/events'

export type ApiEventListener = (event: ApiEvent) => void

/**
 * Fan-out of core events to every transport (IPC windows, SSE clients). A listener that
 * throws is isolated so one broken subscriber cannot stop delivery to the others.
 */
export class EventHub {
  private readonly listeners = new Set<ApiEventListener>()

  subscribe(listener: ApiEventListener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  emit(event: ApiEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event)
      } catch (error) {
        console.error('An event listener failed:', error)
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size
  }
}
