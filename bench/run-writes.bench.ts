import { randomUUID } from 'node:crypto'
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { ensureClassesByName } from '../src-main/core/db/classes-repository'
import { openDatabase } from '../src-main/core/db/connection'
import type { Detection, ProviderRequest } from '../src-main/core/detect/types'
import { upsertImages } from '../src-main/core/db/images-repository'
import { migrate } from '../src-main/core/db/migrate'
import { projectMigrations } from '../src-main/core/db/migrations'
import { insertProject } from '../src-main/core/db/project-repository'
import { createRun } from '../src-main/core/db/runs-repository'
import { BUNDLED_MODEL_PATH, openDetector } from '../src-main/core/detect/detector'
import { createBatchedResultWriter } from '../src-main/core/jobs/batched-result-writer'
import { startDetectionRun } from '../src-main/core/jobs/detection-run'
import { scanImageFolder } from '../src-main/core/images/scan'

/**
 * Whether saving results can hold a detection run back. Three figures from the same run:
 * inference alone (the detector over real image files, nothing saved), the job's batched
 * writer alone (the same detections, written as fast as it can take them), and the whole job
 * (inference + saving, as a run in the app). Writes are never the bottleneck when the writer is
 * many times faster than inference and the job runs at about inference speed.
 *
 * By default the fixture model on the CPU over the golden images. On a GPU, where inference is
 * fastest and saving most likely to show: BENCH_RUN_PROVIDER (cpu, webgpu, cuda, auto),
 * BENCH_RUN_MODEL (a model with its .json beside it; `bundled` for the app's), BENCH_RUN_IMAGES
 * (how many images, default 30), BENCH_RUN_IMAGE_FOLDER (images to cycle through), BENCH_ROUNDS
 * (inference and whole job alternating, default 3; medians reported).
 */

const repoRoot = fileURLToPath(new URL('../', import.meta.url))
const provider = (process.env.BENCH_RUN_PROVIDER ?? 'cpu') as ProviderRequest
const modelChoice = process.env.BENCH_RUN_MODEL ?? join(repoRoot, 'test/fixtures/models/tiny-concat.onnx')
const model = modelChoice === 'bundled' ? BUNDLED_MODEL_PATH : modelChoice
const sourceImages = process.env.BENCH_RUN_IMAGE_FOLDER ?? join(repoRoot, 'test/fixtures/golden/images')
const INFERENCE_IMAGES = Number(process.env.BENCH_RUN_IMAGES ?? 30)
const WRITTEN_IMAGES = 3_000
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)

function copyImages(folder: string, count: number): string[] {
  mkdirSync(folder, { recursive: true })
  const sources = readdirSync(sourceImages)
    .filter((name) => /\.(jpe?g|png)$/i.test(name))
    .sort()
  return Array.from({ length: count }, (_, index) => {
    const source = sources[index % sources.length]!
    const target = join(folder, `img-${String(index).padStart(4, '0')}${source.slice(source.lastIndexOf('.'))}`)
    copyFileSync(join(sourceImages, source), target)
    return target
  })
}

async function measureInference(paths: string[]): Promise<{ imagesPerSecond: number; detections: Detection[][]; device: string }> {
  const detector = await openDetector({ modelPath: model, provider })
  try {
    const detections: Detection[][] = []
    const start = performance.now()
    for await (const result of detector.detectFiles(paths)) if (result.ok) detections.push(result.detections)
    const { used, device } = detector.model.provider
    return { imagesPerSecond: paths.length / ((performance.now() - start) / 1000), detections, device: `${used}, ${device ?? 'device unknown'}` }
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
      providerRequested: provider,
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

/** A fresh project over copies of the images, and one detection run over it as the app starts one. */
async function measureJob(folder: string, round: number): Promise<number> {
  const imageRoot = `job-images-${round}`
  const imageFolder = join(folder, imageRoot)
  copyImages(imageFolder, INFERENCE_IMAGES)
  const projectFile = join(folder, `job-${round}.rwproj`)
  const db = openDatabase(projectFile, { mustExist: false })
  migrate(db, projectMigrations)
  insertProject(db, { uuid: randomUUID(), name: 'bench', createdAt: new Date().toISOString(), appVersion: 'bench', imageRoot })
  await scanImageFolder(db, imageFolder)
  db.close()
  const summary = await startDetectionRun(projectFile, { modelPath: model, provider })
  return summary.processed / summary.seconds
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-run-writes-'))
  try {
    const paths = copyImages(join(folder, 'images'), INFERENCE_IMAGES)
    // Inference and whole jobs alternate, so that neither has the machine's quieter moments or
    // the first, cold pass to itself.
    const inferenceRates: number[] = []
    const jobRates: number[] = []
    let first: Awaited<ReturnType<typeof measureInference>> | undefined
    for (let round = 0; round < ROUNDS; round++) {
      const inference = await measureInference(paths)
      first ??= inference
      inferenceRates.push(inference.imagesPerSecond)
      jobRates.push(await measureJob(folder, round))
    }
    const { detections, device } = first!
    const perImage = detections.reduce((sum, list) => sum + list.length, 0) / detections.length
    const writer = measureWriter(folder, detections)
    const inference = median(inferenceRates)
    const job = median(jobRates)
    const all = (rates: number[]) => rates.map((rate) => rate.toFixed(1)).join(', ')
    console.log(`model output: ${perImage.toFixed(0)} detections per image (${basename(model)}, ${INFERENCE_IMAGES} images from ${sourceImages})`)
    console.log(`inference alone:       ${inference.toFixed(1)} images/s (baseline; ${device}; median of ${all(inferenceRates)})`)
    console.log(
      `batched writer alone:  ${writer.imagesPerSecond.toFixed(0)} images/s, ${writer.detectionsPerSecond.toFixed(0)} detections/s ` +
        `(${(writer.imagesPerSecond / inference).toFixed(1)}× inference)`,
    )
    console.log(`whole job (with saving): ${job.toFixed(1)} images/s (${(job / inference).toFixed(2)}× inference; median of ${all(jobRates)})`)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
