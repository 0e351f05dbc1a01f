import type { ApiEvent } from '@shared/api/events'
import type { ApiArgs, ApiMethod, ApiReturn } from '@shared/api/methods'
import type { StoreClient } from '../../../src-renderer/src/stores/store-client'
import type { RefreshTimers } from '../../../src-renderer/src/stores/coalesced-refresh'

type Handlers = { [M in ApiMethod]?: (args: ApiArgs<M>) => ApiReturn<M> | Promise<ApiReturn<M>> }

/**
 * A stand-in for the renderer's API client: answers from the given handlers (a method without
 * one fails as the real client does for an unknown call), records every call, and lets a test
 * send events as the main side would.
 */
export interface FakeStoreClient extends StoreClient {
  calls: { method: ApiMethod; args: unknown }[]
  callsOf(method: ApiMethod): unknown[]
  emit(event: ApiEvent): void
  handlers: Handlers
}

export function createFakeStoreClient(handlers: Handlers = {}): FakeStoreClient {
  const listeners = new Set<(event: ApiEvent) => void>()
  const calls: { method: ApiMethod; args: unknown }[] = []
  const client: FakeStoreClient = {
    calls,
    handlers,
    callsOf: (method) => calls.filter((call) => call.method === method).map((call) => call.args),
    emit: (event) => {
      for (const listener of listeners) listener(event)
    },
    async call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiReturn<M>> {
      calls.push({ method, args })
      const handler = client.handlers[method] as ((args: ApiArgs<M>) => ApiReturn<M> | Promise<ApiReturn<M>>) | undefined
      if (!handler) throw new Error(`${method} is not answered in this test`)
      return handler(args)
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  return client
}

/** Timers a test fires by hand: no waiting, no timing in the assertions. */
export interface ManualTimers extends RefreshTimers {
  waiting(): number
  fireAll(): void
}

export function createManualTimers(): ManualTimers {
  let nextHandle = 1
  const callbacks = new Map<number, () => void>()
  return {
    setTimeout(callback) {
      const handle = nextHandle++
      callbacks.set(handle, callback)
      return handle
    },
    clearTimeout(handle) {
      callbacks.delete(handle as number)
    },
    waiting: () => callbacks.size,
    fireAll() {
      const due = [...callbacks.values()]
      callbacks.clear()
      for (const callback of due) callback()
    },
  }
}

/** Lets the promises the stores started settle. */
export async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.resolve()
  await new Promise((resolve) => setImmediate(resolve))
}
