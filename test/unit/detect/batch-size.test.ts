import { describe, expect, it } from 'vitest'
import { measureBatchSize } from '../../../src-main/core/detect/batch-size'

/** A device whose run of `batch` images takes `cost(batch)` ms, on a clock the runs advance. */
function device(cost: (batch: number) => number) {
  let clock = 0
  const runs: number[] = []
  return {
    runs,
    now: () => clock,
    run: async (batch: number) => {
      runs.push(batch)
      clock += cost(batch)
    },
  }
}

describe('batch size measured on the device', () => {
  it('doubles while the throughput rises by 10 % or more, and keeps the best', async () => {
    // Images/s: 1 → 100, 2 → 160, 4 → 250, 8 → 320, 16 → 340 (under 10 % more than 8).
    const costs: Record<number, number> = { 1: 10, 2: 12.5, 4: 16, 8: 25, 16: 47 }
    const gpu = device((batch) => costs[batch]!)
    const choice = await measureBatchSize(gpu.run, { maxBatch: 32, valuesPerImage: 1000, now: gpu.now })
    expect(choice.batch).toBe(8)
    expect(choice.measured.map((m) => m.batch)).toEqual([1, 2, 4, 8, 16])
    expect(choice.measured[3]).toEqual({ batch: 8, runMs: 25 })
    // Each size ran once untimed, then twice timed.
    expect(gpu.runs.filter((b) => b === 4)).toHaveLength(3)
  })

  it('stays at one image where batching gains nothing (a large model)', async () => {
    const gpu = device((batch) => 100 * batch)
    expect((await measureBatchSize(gpu.run, { maxBatch: 32, valuesPerImage: 1000, now: gpu.now })).batch).toBe(1)
  })

  it('does not measure on a device too slow for it (a software renderer)', async () => {
    const gpu = device((batch) => 2000 * batch)
    const choice = await measureBatchSize(gpu.run, { maxBatch: 32, valuesPerImage: 1000, now: gpu.now })
    expect(choice).toEqual({ batch: 1, measured: [{ batch: 1, runMs: 2000 }] })
    expect(gpu.runs).toEqual([1, 1, 1])
  })

  it('respects the largest batch, the memory bound and the time a run may take', async () => {
    const fast = () => device((batch) => 1 + batch * 0.01)
    const a = fast()
    expect((await measureBatchSize(a.run, { maxBatch: 8, valuesPerImage: 1000, now: a.now })).batch).toBe(8)
    const b = fast()
    // 3 × 1,000,000 floats = 12 MB an image; 40 MB allows 3, so 2 is the largest power tried.
    expect((await measureBatchSize(b.run, { maxBatch: 32, valuesPerImage: 3_000_000, maxBytes: 40_000_000, now: b.now })).batch).toBe(2)
    const c = device((batch) => 100 + batch * 30)
    const choice = await measureBatchSize(c.run, { maxBatch: 32, valuesPerImage: 1000, maxRunMs: 400, now: c.now })
    expect(choice.batch).toBe(8) // 16 images would take 580 ms
  })
})
