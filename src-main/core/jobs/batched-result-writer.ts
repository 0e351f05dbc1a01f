import type { SqliteDatabase } from '../db/connection'
import { recordImageResults, type ImageResult, type RecordedImageResult } from '../db/detections-repository'

export interface BatchedResultWriterOptions {
  /** Most images per transaction. */
  maxImages: number
  /** Longest a result waits in memory before it is committed. */
  maxDelayMs: number
  /** Called after each commit with what it wrote. */
  onCommitted: (recorded: readonly RecordedImageResult[]) => void
}

export interface BatchedResultWriter {
  add(result: ImageResult): void
  /** Commits whatever is waiting; a no-op when nothing is. */
  flush(): void
  /** Flushes and stops the timer; the writer must not be used afterwards. */
  close(): void
}

/**
 * Collects per-image results and writes several per transaction: one commit (and WAL sync)
 * per image would cost more than the inference of a small model. Each image is still atomic
 * (recordImageResults writes its completion row, detections, status and labels together), so
 * a crash loses only the images waiting here: at most `maxImages`, or `maxDelayMs` of work.
 */
export function createBatchedResultWriter(
  db: SqliteDatabase,
  runId: number,
  options: BatchedResultWriterOptions,
): BatchedResultWriter {
  let waiting: ImageResult[] = []
  let timer: NodeJS.Timeout | null = null

  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    if (waiting.length === 0) return
    const batch = waiting
    waiting = []
    options.onCommitted(recordImageResults(db, runId, batch, new Date().toISOString()))
  }

  return {
    add(result) {
      waiting.push(result)
      if (waiting.length >= options.maxImages) flush()
      // A slow model must not keep finished images uncommitted until the batch fills.
      else timer ??= setTimeout(flush, options.maxDelayMs)
    },
    flush,
    close: flush,
  }
}
