import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/connection'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { setImageReviewed, setImagesMissing } from '../../../src-main/core/db/image-status'
import { countPendingImages, getRunProgress, listPendingImages } from '../../../src-main/core/db/run-progress'
import {
  createRun,
  deleteRun,
  finishRun,
  findRun,
  getRunLabels,
  listRunSummaries,
  listRuns,
  readRunSummary,
  reopenRun,
  setRunProvider,
  splitFallbackReason,
} from '../../../src-main/core/db/runs-repository'
import {
  addImages,
  createTemporaryProject,
  startRun,
  syntheticResultFor,
  type TemporaryProject,
  testTime,
} from './project-database-fixture'

let project: TemporaryProject

beforeEach(async () => {
  project = await createTemporaryProject('rw-runs-')
})

afterEach(async () => {
  await project.dispose()
})

const pendingPaths = (runId: number) => listPendingImages(project.db, runId, '', 1000).map((image) => image.relativePath)

describe('run lifecycle', () => {
  it('stores what is needed to reproduce a run and reads it back', () => {
    const runId = startRun(project.db, { decodeCutoff: 0.3, scope: 'all' })
    const fallbackReason = 'CUDA: libcudart.so.12: cannot open shared object file; WebGPU: no GPU was found; the only Vulkan device is lavapipe'
    setRunProvider(project.db, runId, { used: 'cpu', device: 'CPU', fallbackReason })
    expect(findRun(project.db, runId)).toEqual({
      id: runId,
      modelPath: '/models/pets.onnx',
      modelSha256: 'a'.repeat(64),
      modelConfig: { preset: 'torchvision', classes: ['cat', 'dog', 'bird'] },
      providerRequested: 'auto',
      providerUsed: 'cpu',
      providerDevice: 'CPU',
      providerFallbackReason: fallbackReason,
      providerSkipped: [
        { provider: 'cuda', reason: 'libcudart.so.12: cannot open shared object file' },
        { provider: 'webgpu', reason: 'no GPU was found; the only Vulkan device is lavapipe' },
      ],
      decodeCutoff: 0.3,
      scope: 'all',
      state: 'running',
      errorMessage: null,
      startedAt: testTime,
      finishedAt: null,
    })
    expect([...getRunLabels(project.db, runId).keys()]).toEqual([0, 1, 2])
  })

  it('stores a WebGPU run with its device, asked for by name or found by auto', () => {
    const named = startRun(project.db, { providerRequested: 'webgpu' })
    setRunProvider(project.db, named, { used: 'webgpu', device: 'Mesa lavapipe (software renderer, on the CPU) through Vulkan', fallbackReason: null })
    expect(findRun(project.db, named)).toMatchObject({
      providerRequested: 'webgpu',
      providerUsed: 'webgpu',
      providerDevice: 'Mesa lavapipe (software renderer, on the CPU) through Vulkan',
      providerFallbackReason: null,
      providerSkipped: [],
    })
    const found = startRun(project.db)
    setRunProvider(project.db, found, { used: 'webgpu', device: 'NVIDIA H200 through Vulkan', fallbackReason: 'CUDA: the CUDA provider files are not installed' })
    expect(findRun(project.db, found)).toMatchObject({
      providerUsed: 'webgpu',
      providerDevice: 'NVIDIA H200 through Vulkan',
      providerSkipped: [{ provider: 'cuda', reason: 'the CUDA provider files are not installed' }],
    })
    expect(() => setRunProvider(project.db, 404, { used: 'cpu', device: 'CPU', fallbackReason: null })).toThrow(/no detection run with id 404/)
  })

  it('reads the fallback reason of a run recorded before WebGPU as the reason CUDA was not used', () => {
    expect(splitFallbackReason('libcudart.so.12: cannot open shared object file')).toEqual([
      { provider: 'cuda', reason: 'libcudart.so.12: cannot open shared object file' },
    ])
    expect(splitFallbackReason('WebGPU: Dawn found no adapter; try --provider cpu')).toEqual([
      { provider: 'webgpu', reason: 'Dawn found no adapter; try --provider cpu' },
    ])
    expect(splitFallbackReason(null)).toEqual([])
  })

  it('refuses a malformed hash, threshold or label mapping', () => {
    expect(() => startRun(project.db, { modelSha256: 'abc' })).toThrow(/sha256/)
    expect(() => startRun(project.db, { decodeCutoff: 1.5 })).toThrow(/between 0 and 1/)
    expect(() => startRun(project.db, { labels: [{ labelIndex: 0, classId: 1 }, { labelIndex: 0, classId: 2 }] })).toThrow(/one class only/)
    expect(() => createRun(project.db, { ...baseRun(), labels: [{ labelIndex: 0, classId: 404 }] })).toThrow(/FOREIGN KEY/)
    expect(listRuns(project.db)).toEqual([])
  })

  it('ends once: done, cancelled or failed with a message, and reopens to resume', () => {
    const runId = startRun(project.db)
    finishRun(project.db, runId, { state: 'failed', finishedAt: testTime, errorMessage: 'out of memory' })
    expect(findRun(project.db, runId)).toMatchObject({ state: 'failed', errorMessage: 'out of memory', finishedAt: testTime })
    expect(() => finishRun(project.db, runId, { state: 'cancelled', finishedAt: testTime })).toThrow(/already ended \(failed\)/)
    expect(reopenRun(project.db, runId)).toMatchObject({ state: 'running', errorMessage: null, finishedAt: null })
    finishRun(project.db, runId, { state: 'done', finishedAt: testTime })
    expect(() => reopenRun(project.db, runId)).toThrow(/finished every image/)
  })

  it('reads runs as the API shows them, each with its counts, newest first', () => {
    const { db } = project
    const [a, b] = addImages(db, ['a.png', 'b.png', 'c.png'])
    const first = startRun(db, { scope: 'all' })
    const found = syntheticResultFor(a!)
    const detections = found.state === 'done' ? found.detections.length : -1
    recordImageResults(db, first, [found, { imageId: b!, state: 'error', errorMessage: 'bad' }], testTime)
    finishRun(db, first, { state: 'done', finishedAt: testTime })
    const second = startRun(db)
    const { modelSha256: _hash, modelConfig: _config, ...fields } = findRun(db, first)!

    expect(readRunSummary(db, first)).toEqual({ ...fields, imagesDone: 2, imagesFailed: 1, detectionCount: detections })
    expect(listRunSummaries(db).map(({ id, state, finishedAt, imagesDone }) => ({ id, state, finishedAt, imagesDone }))).toEqual([
      { id: second, state: 'running', finishedAt: null, imagesDone: 0 },
      { id: first, state: 'done', finishedAt: testTime, imagesDone: 2 },
    ])
    expect(readRunSummary(db, second)).toMatchObject({ imagesDone: 0, imagesFailed: 0, detectionCount: 0 })
    expect(readRunSummary(db, 404)).toBeUndefined()
  })

  it('does not delete a running run', () => {
    const runId = startRun(project.db)
    expect(() => deleteRun(project.db, runId)).toThrow(/still running/)
  })
})

function baseRun() {
  return {
    modelPath: 'm.onnx',
    modelSha256: 'b'.repeat(64),
    modelConfig: {},
    providerRequested: 'cpu' as const,
    decodeCutoff: 0.5,
    scope: 'all' as const,
    labels: [],
    startedAt: testTime,
  }
}

describe('resume set', () => {
  it('lists exactly the images without a finished row for the run, in path order', () => {
    const { db } = project
    const [a, b, c] = addImages(db, ['a.png', 'b.png', 'c.png', 'd.png'])
    const runId = startRun(db)
    recordImageResults(db, runId, [syntheticResultFor(b!), { imageId: c!, state: 'error', errorMessage: 'bad' }], testTime)
    expect(pendingPaths(runId)).toEqual(['a.png', 'd.png'])
    expect(listPendingImages(db, runId, 'a.png', 10).map((image) => image.id)).not.toContain(a)
    const recorded = syntheticResultFor(b!)
    expect(recorded.state).toBe('done')
    expect(getRunProgress(db, runId)).toEqual({
      done: 1,
      errors: 1,
      pending: 2,
      detections: recorded.state === 'done' ? recorded.detections.length : -1,
    })
  })

  it('leaves out missing images, and for the unprocessed scope images already detected or reviewed', () => {
    const { db } = project
    const [a, b, , d] = addImages(db, ['a.png', 'b.png', 'c.png', 'd.png'])
    const first = startRun(db, { scope: 'all' })
    recordImageResults(db, first, [syntheticResultFor(a!), { imageId: b!, state: 'error', errorMessage: 'bad' }], testTime)
    finishRun(db, first, { state: 'done', finishedAt: testTime })
    setImageReviewed(db, d!, true, testTime)
    setImagesMissing(db, [a!], true)

    const unprocessed = startRun(db, { scope: 'unprocessed' })
    expect(pendingPaths(unprocessed)).toEqual(['b.png', 'c.png'])
    const everything = startRun(db, { scope: 'all' })
    expect(pendingPaths(everything)).toEqual(['b.png', 'c.png', 'd.png'])
    expect(countPendingImages(db, everything)).toBe(3)
  })

  it('after a SIGKILL at an arbitrary moment, every image is wholly written or not at all, and resuming completes the run', async () => {
    const { db } = project
    const paths = Array.from({ length: 400 }, (_, index) => `img/${String(index).padStart(4, '0')}.png`)
    addImages(db, paths)
    const runId = startRun(db, { scope: 'all' })
    db.close()

    for (const batchesBeforeKill of [3, 17, 41]) {
      const committed = await runWriterAndKill(project.file, runId, batchesBeforeKill)
      const reopened = openDatabase(project.file, { mustExist: true })
      try {
        expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok')
        expect(reopened.pragma('foreign_key_check')).toEqual([])
        const finished = reopened.prepare('SELECT count(*) FROM run_images').pluck().get() as number
        expect(finished).toBeGreaterThanOrEqual(committed * 4)
        // Each recorded image has exactly its detections and the labels made from them.
        const mismatched = reopened
          .prepare(
            `SELECT r.image_id FROM run_images r
             WHERE r.detection_count <> (SELECT count(*) FROM detections d WHERE d.run_id = r.run_id AND d.image_id = r.image_id)
                OR (SELECT count(*) FROM annotations a WHERE a.image_id = r.image_id) <>
                   (SELECT count(*) FROM detections d WHERE d.run_id = r.run_id AND d.image_id = r.image_id AND d.score >= 0.5)`,
          )
          .all()
        expect(mismatched).toEqual([])
        const orphans = reopened
          .prepare('SELECT count(*) FROM annotations a WHERE NOT EXISTS (SELECT 1 FROM run_images r WHERE r.image_id = a.image_id)')
          .pluck()
          .get()
        expect(orphans).toBe(0)
      } finally {
        reopened.close()
      }
    }

    const resumed = await runWriterAndKill(project.file, runId, Number.POSITIVE_INFINITY)
    expect(resumed).toBeGreaterThan(0)
    project.db = openDatabase(project.file, { mustExist: true })
    const expectedDetections = paths
      .map((_, index) => syntheticResultFor(index + 1))
      .reduce((sum, result) => sum + (result.state === 'done' ? result.detections.length : 0), 0)
    expect(getRunProgress(project.db, runId)).toEqual({ done: 364, errors: 36, pending: 0, detections: expectedDetections })
  })
})

/**
 * Starts the writer child process and kills it with SIGKILL once it has reported
 * `batchesBeforeKill` committed batches (or lets it finish). Returns the batches it reported.
 */
function runWriterAndKill(file: string, runId: number, batchesBeforeKill: number): Promise<number> {
  const script = join(import.meta.dirname, 'write-results-until-killed.ts')
  const child = spawn(process.execPath, ['--import', 'tsx', script, file, String(runId)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let reported = 0
    let errors = ''
    let pendingLine = ''
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pendingLine + chunk.toString()).split('\n')
      pendingLine = lines.pop()!
      reported += lines.filter((line) => line !== 'finished').length
      if (reported >= batchesBeforeKill) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve(reported)
      else reject(new Error(`writer exited with ${code}: ${errors}`))
    })
  })
}
