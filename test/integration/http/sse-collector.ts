import type { ApiEvent } from '@shared/api/events'

export interface EventCollector {
  /** Every event received so far, in order. */
  events: ApiEvent[]
  /** Resolves with the first event (after `from`) that matches; rejects if the stream ends first. */
  waitFor<T extends ApiEvent>(match: (event: ApiEvent) => event is T, from?: number): Promise<T>
  waitFor(match: (event: ApiEvent) => boolean, from?: number): Promise<ApiEvent>
  close(): Promise<void>
}

/** Reads an SSE response in the background, keeping every `data:` message as an event. */
export function collectEvents(response: Response): EventCollector {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: ApiEvent[] = []
  const waiters = new Set<() => void>()
  let ended = false
  const pump = async () => {
    let buffered = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffered += value
        let boundary
        while ((boundary = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, boundary)
          buffered = buffered.slice(boundary + 2)
          for (const line of message.split('\n')) {
            if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as ApiEvent)
          }
        }
        for (const wake of [...waiters]) wake()
      }
    } catch {
      // Cancelled by close().
    } finally {
      ended = true
      for (const wake of [...waiters]) wake()
    }
  }
  void pump()
  return {
    events,
    waitFor(match: (event: ApiEvent) => boolean, from = 0) {
      return new Promise<ApiEvent>((resolve, reject) => {
        const check = () => {
          const found = events.slice(from).find(match)
          if (found) {
            waiters.delete(check)
            resolve(found)
          } else if (ended) {
            waiters.delete(check)
            reject(new Error('The event stream ended before the expected event arrived.'))
          }
        }
        waiters.add(check)
        check()
      })
    },
    async close() {
      await reader.cancel().catch(() => undefined)
    },
  } as EventCollector
}
