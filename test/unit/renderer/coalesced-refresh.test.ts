import { describe, expect, it } from 'vitest'
import { createCoalescedRefresh } from '../../../src-renderer/src/stores/coalesced-refresh'
import { createManualTimers } from './fake-store-client'

describe('coalesced refresh', () => {
  it('turns a burst of requests into one refresh with the union of their image ids', () => {
    const timers = createManualTimers()
    const refreshed: number[][] = []
    const refresh = createCoalescedRefresh((ids) => refreshed.push([...ids].sort((a, b) => a - b)), 500, timers)
    for (let batch = 0; batch < 1000; batch++) refresh.request([batch % 7, 100 + (batch % 3)])
    expect(timers.waiting()).toBe(1)
    expect(refreshed).toEqual([])
    timers.fireAll()
    expect(refreshed).toEqual([[0, 1, 2, 3, 4, 5, 6, 100, 101, 102]])
    expect(refresh.pending()).toBe(false)
  })

  it('starts a new wait for requests after a refresh, and forgets ids a refresh already took', () => {
    const timers = createManualTimers()
    const refreshed: number[][] = []
    const refresh = createCoalescedRefresh((ids) => refreshed.push([...ids]), 500, timers)
    refresh.request([1])
    timers.fireAll()
    refresh.request([2])
    expect(refresh.pending()).toBe(true)
    timers.fireAll()
    expect(refreshed).toEqual([[1], [2]])
  })

  it('drops a waiting refresh on cancel', () => {
    const timers = createManualTimers()
    let runs = 0
    const refresh = createCoalescedRefresh(() => runs++, 500, timers)
    refresh.request([1])
    refresh.cancel()
    expect(timers.waiting()).toBe(0)
    timers.fireAll()
    expect(runs).toBe(0)
    refresh.request()
    timers.fireAll()
    expect(runs).toBe(1)
  })
})
