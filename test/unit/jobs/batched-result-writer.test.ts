import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RecordedImageResult } from '../../../src-main/core/db/detections-repository'
import { createBatchedResultWriter } from '../../../src-main/core/jobs/batched-result-writer'
import { addImages, createTemporaryProject, startRun, syntheticResultFor, type TemporaryProject } from '../db/project-database-fixture'

let project: TemporaryProject
let imageIds: number[]
let runId: number
beforeEach(async () => {
  project = await createTemporaryProject('batched-writer-')
  imageIds = addImages(project.db, ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'])
  runId = startRun(project.db)
})
afterEach(() => project.dispose())

const recordedCount = () => project.db.prepare('SELECT count(*) FROM run_images WHERE run_id = ?').pluck().get(runId)

describe('createBatchedResultWriter', () => {
  it('holds results until a batch is full, then writes them in one commit', () => {
    const commits: RecordedImageResult[][] = []
    const writer = createBatchedResultWriter(project.db, runId, { maxImages: 3, maxDelayMs: 60_000, onCommitted: (batch) => commits.push([...batch]) })
    writer.add(syntheticResultFor(imageIds[0]!))
    writer.add(syntheticResultFor(imageIds[1]!))
    expect(recordedCount()).toBe(0)
    writer.add(syntheticResultFor(imageIds[2]!))
    expect(recordedCount()).toBe(3)
    expect(commits.map((batch) => batch.map((result) => result.imageId))).toEqual([imageIds.slice(0, 3)])
    writer.add(syntheticResultFor(imageIds[3]!))
    writer.close()
    expect(recordedCount()).toBe(4)
    expect(commits).toHaveLength(2)
  })

  it('commits a lone result after the delay, without waiting for the batch to fill', async () => {
    const committed = new Promise<readonly RecordedImageResult[]>((resolve) => {
      const writer = createBatchedResultWriter(project.db, runId, { maxImages: 100, maxDelayMs: 10, onCommitted: resolve })
      writer.add(syntheticResultFor(imageIds[0]!))
    })
    expect((await committed).map((result) => result.outcome)).toEqual(['recorded'])
    expect(recordedCount()).toBe(1)
  })

  it('never records an image twice, even when a batch is written again', () => {
    const outcomes: string[] = []
    const options = { maxImages: 10, maxDelayMs: 60_000, onCommitted: (batch: readonly RecordedImageResult[]) => outcomes.push(...batch.map((result) => result.outcome)) }
    const first = createBatchedResultWriter(project.db, runId, options)
    first.add(syntheticResultFor(imageIds[0]!))
    first.close()
    const second = createBatchedResultWriter(project.db, runId, options)
    second.add(syntheticResultFor(imageIds[0]!))
    second.add(syntheticResultFor(imageIds[1]!))
    second.close()
    expect(outcomes).toEqual(['recorded', 'already-recorded', 'recorded'])
    expect(recordedCount()).toBe(2)
  })

  it('a close with nothing waiting writes nothing', () => {
    let commits = 0
    createBatchedResultWriter(project.db, runId, { maxImages: 2, maxDelayMs: 10, onCommitted: () => commits++ }).close()
    expect(commits).toBe(0)
  })
})
