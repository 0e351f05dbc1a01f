import { describe, expect, it } from 'vitest'
import { ConcurrencyLimit } from '../../../src-main/core/concurrency-limit'

/** A promise whose completion the test controls. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

describe('ConcurrencyLimit', () => {
  it('never runs more than the limit and starts waiters in arrival order', async () => {
    const limit = new ConcurrencyLimit(2)
    const gates = Array.from({ length: 5 }, deferred)
    const started: number[] = []
    let peak = 0
    const runs = gates.map((gate, index) =>
      limit.run(async () => {
        started.push(index)
        peak = Math.max(peak, limit.activeCount)
        await gate.promise
        return index
      }),
    )
    await Promise.resolve()
    expect(started).toEqual([0, 1])
    gates[1]!.resolve()
    await runs[1]
    await Promise.resolve()
    expect(started).toEqual([0, 1, 2])
    for (const gate of gates) gate.resolve()
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4])
    expect(started).toEqual([0, 1, 2, 3, 4])
    expect(peak).toBe(2)
    expect(limit.activeCount).toBe(0)
  })

  it('frees the slot when a task fails', async () => {
    const limit = new ConcurrencyLimit(1)
    await expect(limit.run(() => Promise.reject(new Error('broken')))).rejects.toThrow('broken')
    expect(await limit.run(async () => 'next')).toBe('next')
    expect(limit.activeCount).toBe(0)
  })

  it('refuses a limit below one', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(/positive integer/)
  })
})
