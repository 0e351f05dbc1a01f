/**
 * Collects bursts of change events into one refresh. A run writing labels of thousands of
 * images sends a `labels.changed` event per batch; refetching counts per event would flood
 * the API, so the first event starts a wait and every event until it ends joins the same
 * refresh (with the union of the image ids they named).
 */

export interface RefreshTimers {
  setTimeout(callback: () => void, delayMs: number): unknown
  clearTimeout(handle: unknown): void
}

const globalTimers: RefreshTimers = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
}

export interface CoalescedRefresh {
  /** Asks for a refresh; `imageIds` are the images the event named (kept until the refresh runs). */
  request(imageIds?: readonly number[]): void
  /** Drops a waiting refresh (the project closed). */
  cancel(): void
  /** True while a refresh is waiting to run. */
  pending(): boolean
}

export function createCoalescedRefresh(
  refresh: (imageIds: ReadonlySet<number>) => unknown,
  delayMs: number,
  timers: RefreshTimers = globalTimers,
): CoalescedRefresh {
  let handle: unknown = null
  let imageIds = new Set<number>()

  function run(): void {
    handle = null
    const collected = imageIds
    imageIds = new Set()
    void refresh(collected)
  }

  return {
    request(ids = []) {
      for (const id of ids) imageIds.add(id)
      handle ??= timers.setTimeout(run, delayMs)
    },
    cancel() {
      if (handle !== null) timers.clearTimeout(handle)
      handle = null
      imageIds = new Set()
    },
    pending: () => handle !== null,
  }
}
