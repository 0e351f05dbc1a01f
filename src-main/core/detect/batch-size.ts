/**
 * The batch size for a GPU, found by measuring: images per graph run double from 1 while the
 * throughput keeps rising by a worthwhile margin. How much batching pays depends on the GPU, the
 * model and the input size (an H200 ran the bundled model at 99 images/s one by one and 419 at
 * 16; a large model gains little), so no constant fits every machine.
 */

export interface BatchSizeLimits {
  /** Never try more than this many images per run. */
  maxBatch: number
  /** Float values in one image's input tensor, to bound a batch's memory. */
  valuesPerImage: number
  /** A larger batch is kept only when it runs at least this much faster per image (default 1.1). */
  minGain?: number
  /** A run may take at most this long (ms), so progress and cancel stay prompt (default 1000). */
  maxRunMs?: number
  /** Input bytes one batch may take (default 512 MB). */
  maxBytes?: number
  /** Clock, for tests. */
  now?: () => number
}

export interface BatchMeasurement {
  batch: number
  /** Best of the timed runs, in ms. */
  runMs: number
}

export interface BatchChoice {
  batch: number
  measured: BatchMeasurement[]
}

/** Runs `run(batch)` once untimed (shape-dependent set-up), then twice timed; the faster counts. */
async function timeBatch(run: (batch: number) => Promise<unknown>, batch: number, now: () => number): Promise<number> {
  await run(batch)
  let best = Infinity
  for (let i = 0; i < 2; i++) {
    const started = now()
    await run(batch)
    best = Math.min(best, now() - started)
  }
  return best
}

export async function measureBatchSize(run: (batch: number) => Promise<unknown>, limits: BatchSizeLimits): Promise<BatchChoice> {
  const { maxBatch, valuesPerImage, minGain = 1.1, maxRunMs = 1000, maxBytes = 512 * 1024 * 1024, now = () => performance.now() } = limits
  const memoryCap = Math.max(1, Math.floor(maxBytes / Math.max(1, valuesPerImage * 4)))
  const cap = Math.max(1, Math.min(maxBatch, memoryCap))
  const measured: BatchMeasurement[] = []
  let best = { batch: 1, runMs: await timeBatch(run, 1, now) }
  measured.push(best)
  // A device this slow (a software renderer) gains nothing worth the seconds a measurement costs.
  if (best.runMs > maxRunMs / 2) return { batch: 1, measured }
  for (let batch = 2; batch <= cap; batch *= 2) {
    const runMs = await timeBatch(run, batch, now)
    measured.push({ batch, runMs })
    const gain = best.runMs / best.batch / (runMs / batch)
    if (gain < minGain || runMs > maxRunMs) break
    best = { batch, runMs }
  }
  return { batch: best.batch, measured }
}

export async function chooseBatchSize(run: (batch: number) => Promise<unknown>, limits: BatchSizeLimits): Promise<number> {
  return (await measureBatchSize(run, limits)).batch
}
