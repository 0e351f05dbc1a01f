import { randomUUID } from 'node:crypto'
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { ensureClassesByName } from '../src-main/core/db/classes-repository'
import { openDatabase } from '../src-main/core/db/connection'
import type { Detection } from '../src-main/core/detect/types'
import { upsertImages } from '../src-main/core/db/images-repository'
import { migrate } from '../src-main/core/db/migrate'
import { projectMigrations } from '../src-main/core/db/migrations'
import { insertProject } from '../src-main/core/db/project-repository'
import { createRun } from '../src-main/core/db/runs-repository'
import { openDetector } from '../src-main/core/detect/detector'
import { createBatchedResultWriter } from '../src-main/core/jobs/batched-result-writer'
import { startDetectionRun } from '../src-main/core/jobs/detection-run'
import { scanImageFolder } from '../src-main/core/images/scan'

/**
 * Whether saving results can hold a detection run back. Three figures from the same run:
 * inference alone (the fixture model over real images, nothing saved), the job's batched
 * writer alone (the same detections, written as fast as it can take them), and the whole job
 * (inference + saving). Writes are never the bottleneck when the writer is many times faster
 * than inference and the job runs at about inference speed.
 */

const repoRoot = fileURLToPath(new URL('../', import.meta.url))
const model = join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')
const goldenImages = join(repoRoot, 'test/fixtures/golden/images')
const INFERENCE_IMAGES = 30
const WRITTEN_IMAGES = 3_000

function copyImages(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true })
  const sources = readdirSync(goldenImages).sort()
  return Array.from({ length: count }, (_, index) => {
    const source = sources[index % sources.length]!
    const target = join(folder, `img-${String(index).padStart(4, '0')}${source.slice(source.lastIndexOf('.'))}`)
    copyFileSync(join(goldenImages, source), target)
    return target
  })
}

async function measureInference(paths: string[]): Promise<{ imagesPerSecond: number; detections: Detection[][] }> {
  const detector = await openDetector({ modelPath: model, provider: 'cpu' })
  try {
    const detections: Detection[][] = []
    const start = performance.now()
    for await (const result of detector.detectFiles(paths)) if (result.ok) detections.push(result.detections)
    return { imagesPerSecond: paths.length / ((performance.now() - start) / 1000), detections }
  } finally {
    await detector.close()
  }
}

/** The writer alone: a fresh project file, one run, the model's real detections replayed image after image. */
function measureWriter(folder: string, samples: Detection[][]): { imagesPerSecond: number; detectionsPerSecond: number } {
  const db = openDatabase(join(folder, 'writes.rwproj'), { mustExist: false })
  try {
    migrate(db, projectMigrations)
    const now = new Date().toISOString()
    const images = Array.from({ length: WRITTEN_IMAGES }, (_, index) => ({
      relativePath: `img-${String(index).padStart(5, '0')}.png`,
      format: 'png' as const,
      width: 320,
      height: 256,
      fileSize: 1000,
      mtimeMs: 0,
    }))
    upsertImages(db, images, now)
    const ids = db.prepare('SELECT id FROM images ORDER BY path').pluck().all() as number[]
    const classIds = ensureClassesByName(db, ['circle', 'square', 'triangle', 'star', 'cross'], now)
    const runId = createRun(db, {
      modelPath: model,
      modelSha256: '0'.repeat(64),
      modelConfig: {},
      providerRequested: 'cpu',
      decodeCutoff: 0.05,
      scope: 'all',
      labels: [...classIds.values()].map((classId, labelIndex) => ({ labelIndex, classId })),
      startedAt: now,
    })
    let detections = 0
    const writer = createBatchedResultWriter(db, runId, { maxImages: 32, maxDelayMs: 250, onCommitted: () => undefined })
    const start = performance.now()
    ids.forEach((imageId, index) => {
      const sample = samples[index % samples.length]!
      detections += sample.length
      writer.add({ imageId, state: 'done', detections: sample })
    })
    writer.close()
    const seconds = (performance.now() - start) / 1000
    return { imagesPerSecond: ids.length / seconds, detectionsPerSecond: detections / seconds }
  } finally {
    db.close()
  }
}

async function measureJob(folder: string): Promise<number> {
  const imageFolder = join(folder, 'job-images')
  copyImages(imageFolder, INFERENCE_IMAGES)
  const projectFile = join(folder, 'job.rwproj')
  const db = openDatabase(projectFile, { mustExist: false })
  migrate(db, projectMigrations)
  insertProject(db, { uuid: randomUUID(), name: 'bench', createdAt: new Date().toISOString(), appVersion: 'bench', imageRoot: 'job-images' })
  await scanImageFolder(db, imageFolder)
  db.close()
  const summary = await startDetectionRun(projectFile, { modelPath: model, provider: 'cpu' })
  return summary.processed / summary.seconds
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-run-writes-'))
  try {
    const inference = await measureInference(copyImages(join(folder, 'images'), INFERENCE_IMAGES))
    const perImage = inference.detections.reduce((sum, list) => sum + list.length, 0) / inference.detections.length
    const writer = measureWriter(folder, inference.detections)
    const job = await measureJob(folder)
    console.log(`model output: ${perImage.toFixed(0)} detections per image (tiny-concat fixture, ${INFERENCE_IMAGES} images)`)
    console.log(`inference alone:       ${inference.imagesPerSecond.toFixed(1)} images/s (baseline)`)
    console.log(
      `batched writer alone:  ${writer.imagesPerSecond.toFixed(0)} images/s, ${writer.detectionsPerSecond.toFixed(0)} detections/s ` +
        `(${(writer.imagesPerSecond / inference.imagesPerSecond).toFixed(1)}× inference)`,
    )
    console.log(`whole job (with saving): ${job.toFixed(1)} images/s (${(job / inference.imagesPerSecond).toFixed(2)}× inference)`)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
