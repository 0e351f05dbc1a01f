import { statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ensureClassesByName } from '../src-main/core/db/classes-repository'
import { openDatabase, type SqliteDatabase } from '../src-main/core/db/connection'
import { type ImageResult, recordImageResults } from '../src-main/core/db/detections-repository'
import type { Detection } from '../src-main/core/detect/types'
import { getGridPage, listGridImages } from '../src-main/core/db/image-grid'
import { setImageReviewed } from '../src-main/core/db/image-status'
import { type NewImage, upsertImages } from '../src-main/core/db/images-repository'
import { migrate } from '../src-main/core/db/migrate'
import { projectMigrations } from '../src-main/core/db/migrations'
import { countDetections, countImagesByStatus } from '../src-main/core/db/project-stats'
import { countPendingImages } from '../src-main/core/db/run-progress'
import { createRun, finishRun } from '../src-main/core/db/runs-repository'

/**
 * A project at the scale the grid and the job runner must handle: 100,000 images and
 * 2,000,000 detections written through the repository functions in batched transactions,
 * the way a run writes them. Figures are printed with ratios against baselines measured in
 * the same run: plain inserts into a table without indexes, triggers or foreign keys, and
 * opening the file to run a bare `SELECT count(*)`.
 */

const IMAGE_COUNT = 100_000
const DETECTIONS_PER_IMAGE = 20
const IMAGES_PER_TRANSACTION = 100
const PAGE_SIZE = 100
const LABELS = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck', 'boat', 'bench', 'bird', 'giraffe']
/** Only one image in this many has a giraffe: the rare class of the filtered grid. */
const RARE_CLASS_EVERY = 1_000

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function time(action: () => void): number {
  const start = performance.now()
  action()
  return performance.now() - start
}

/** A small deterministic generator, so every run of the benchmark writes the same data. */
function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 2 ** 32
  }
}

function detectionsFor(imageId: number, random: () => number): Detection[] {
  return Array.from({ length: DETECTIONS_PER_IMAGE }, (_, index) => {
    const rare = index === 0 && imageId % RARE_CLASS_EVERY === 0
    const x = random() * 1800
    const y = random() * 1000
    return {
      classIndex: rare ? LABELS.length - 1 : Math.floor(random() * (LABELS.length - 1)),
      score: random(),
      box: [x, y, x + 20 + random() * 100, y + 20 + random() * 80] as const,
    }
  })
}

function createProject(file: string): SqliteDatabase {
  const db = openDatabase(file, { mustExist: false })
  migrate(db, projectMigrations)
  return db
}

/** Rows per second (wall clock, CPU time) for plain inserts of detection-shaped rows: the ceiling here. */
function measureBareInsertRate(file: string, rows: number): { wall: number; cpu: number } {
  const db = openDatabase(file, { mustExist: false })
  db.exec('CREATE TABLE bare (run_id INTEGER, image_id INTEGER, class_id INTEGER, score REAL, x1 REAL, y1 REAL, x2 REAL, y2 REAL) STRICT')
  const insert = db.prepare('INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const random = pseudoRandom(7)
  const perTransaction = IMAGES_PER_TRANSACTION * DETECTIONS_PER_IMAGE
  const cpuStart = process.cpuUsage()
  const elapsed = time(() => {
    for (let done = 0; done < rows; done += perTransaction) {
      db.transaction(() => {
        for (let row = 0; row < perTransaction; row++) {
          insert.run(1, done + row, row % 9, random(), random(), random(), random() + 1, random() + 1)
        }
      })()
    }
  })
  const cpu = process.cpuUsage(cpuStart)
  db.close()
  return { wall: rows / (elapsed / 1000), cpu: rows / ((cpu.user + cpu.system) / 1e6) }
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'rw-bench-scale-'))
  try {
    const file = join(folder, 'scale.rwproj')
    const db = createProject(file)

    const images: NewImage[] = Array.from({ length: IMAGE_COUNT }, (_, index) => ({
      relativePath: `camera-${String(index % 40).padStart(2, '0')}/frame-${String(index).padStart(6, '0')}.jpg`,
      format: 'jpeg',
      width: 1920,
      height: 1080,
      fileSize: 300_000,
      mtimeMs: 1_700_000_000_000 + index,
    }))
    const imageInsertMs = time(() => {
      for (let start = 0; start < images.length; start += 10_000) upsertImages(db, images.slice(start, start + 10_000), 'now')
    })
    const imageIds = db.prepare('SELECT id FROM images ORDER BY id').pluck().all() as number[]

    const classIds = ensureClassesByName(db, LABELS, 'now')
    const runId = createRun(db, {
      modelPath: '/models/coco-retinanet.onnx',
      modelSha256: '0'.repeat(64),
      modelConfig: { preset: 'torchvision', classes: LABELS },
      providerRequested: 'auto',
      decodeCutoff: 0.5,
      scope: 'all',
      labels: LABELS.map((name, labelIndex) => ({ labelIndex, classId: classIds.get(name)! })),
      startedAt: 'now',
    })
    const random = pseudoRandom(42)
    let writeMs = 0
    let writeCpuMs = 0
    for (let start = 0; start < imageIds.length; start += IMAGES_PER_TRANSACTION) {
      const batch: ImageResult[] = imageIds
        .slice(start, start + IMAGES_PER_TRANSACTION)
        .map((imageId) => ({ imageId, state: 'done', detections: detectionsFor(imageId, random) }))
      const cpuStart = process.cpuUsage()
      writeMs += time(() => recordImageResults(db, runId, batch, 'now'))
      const cpu = process.cpuUsage(cpuStart)
      writeCpuMs += (cpu.user + cpu.system) / 1000
    }
    finishRun(db, runId, { state: 'done', finishedAt: 'now' })
    // People have reviewed one image in a hundred.
    for (let index = 0; index < imageIds.length; index += 100) setImageReviewed(db, imageIds[index]!, true, 'now')
    const detectionCount = db.prepare('SELECT count(*) FROM detections').pluck().get() as number
    const labelCount = db.prepare('SELECT count(*) FROM annotations').pluck().get() as number
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()

    // CPU time of this process too: on a shared, loaded machine the wall clock also measures the others.
    const detectionRate = detectionCount / (writeMs / 1000)
    const detectionCpuRate = detectionCount / (writeCpuMs / 1000)
    const bareRate = measureBareInsertRate(join(folder, 'bare.sqlite'), 400_000)
    console.log(
      `${IMAGE_COUNT.toLocaleString('en')} images inserted in ${(imageInsertMs / 1000).toFixed(2)} s; ` +
        `${detectionCount.toLocaleString('en')} detections and ${labelCount.toLocaleString('en')} labels from them ` +
        `written in ${(writeMs / 1000).toFixed(1)} s (${IMAGES_PER_TRANSACTION} images per transaction)`,
    )
    const rate = (value: number) => Math.round(value).toLocaleString('en')
    console.log(
      `detections written (with completion rows, statuses, class counts and labels; target >= 50,000/s): ` +
        `${rate(detectionRate)}/s wall clock, ${rate(detectionCpuRate)}/s of CPU time = ` +
        `${(detectionCpuRate / bareRate.cpu).toFixed(2)}x of plain inserts into an unindexed table ` +
        `(${rate(bareRate.wall)}/s wall clock, ${rate(bareRate.cpu)}/s of CPU time)`,
    )
    console.log(`project file: ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB`)

    // Opening the project and showing the first screen of the grid, against opening it for a bare count.
    const openSamples: number[] = []
    const baselineSamples: number[] = []
    for (let repeat = 0; repeat < 7; repeat++) {
      baselineSamples.push(
        time(() => {
          const opened = openDatabase(file, { mustExist: true })
          opened.prepare('SELECT count(*) FROM images').pluck().get()
          opened.close()
        }),
      )
      openSamples.push(
        time(() => {
          const opened = openDatabase(file, { mustExist: true })
          migrate(opened, projectMigrations)
          getGridPage(opened, {}, 0, PAGE_SIZE)
          opened.close()
        }),
      )
    }
    const openMs = median(openSamples)
    const baselineMs = median(baselineSamples)
    console.log(
      `open + first grid page (${PAGE_SIZE} images with status and box count, and the total): ${openMs.toFixed(1)} ms ` +
        `(target <= 300 ms) = ${(openMs / baselineMs).toFixed(2)}x of open + bare count(*) (${baselineMs.toFixed(1)} ms)`,
    )

    const reader = openDatabase(file, { mustExist: true })
    const offsets = Array.from({ length: 60 }, (_, index) => Math.floor((index / 60) * (IMAGE_COUNT - PAGE_SIZE)))
    const pageMs = median(offsets.map((offset) => time(() => listGridImages(reader, {}, offset, PAGE_SIZE))))
    const pageWithTotalMs = median(offsets.map((offset) => time(() => getGridPage(reader, {}, offset, PAGE_SIZE))))
    const firstPageMs = median(Array.from({ length: 9 }, () => time(() => getGridPage(reader, {}, 0, PAGE_SIZE))))
    console.log(
      `paging through the grid (60 pages spread over all ${IMAGE_COUNT.toLocaleString('en')} images): median page ` +
        `${pageMs.toFixed(2)} ms, with the total ${pageWithTotalMs.toFixed(2)} ms = ` +
        `${(pageWithTotalMs / firstPageMs).toFixed(2)}x of the first page (${firstPageMs.toFixed(2)} ms)`,
    )

    const filters = [
      ['a common class (car)', { classId: classIds.get('car')! }],
      [`a rare class (giraffe, 1 image in ${RARE_CLASS_EVERY.toLocaleString('en')})`, { classId: classIds.get('giraffe')! }],
      ['status reviewed', { statuses: ['reviewed' as const] }],
      ['status reviewed and class car', { statuses: ['reviewed' as const], classId: classIds.get('car')! }],
    ] as const
    for (const [name, filter] of filters) {
      let total = 0
      const filteredMs = median(Array.from({ length: 9 }, () => time(() => (total = getGridPage(reader, filter, 0, PAGE_SIZE).total))))
      console.log(
        `first page filtered by ${name} (${total.toLocaleString('en')} images): ${filteredMs.toFixed(1)} ms ` +
          `= ${(filteredMs / firstPageMs).toFixed(2)}x of the unfiltered first page (${firstPageMs.toFixed(1)} ms)`,
      )
    }

    const statusMs = time(() => countImagesByStatus(reader))
    const detectionStatsMs = time(() => countDetections(reader))
    console.log(
      `project info: image counts by status ${statusMs.toFixed(1)} ms, detections in total and per class ` +
        `(${detectionCount.toLocaleString('en')} rows) ${detectionStatsMs.toFixed(1)} ms`,
    )
    reader.close()

    const writer = openDatabase(file, { mustExist: true })
    const resumeRunId = createRun(writer, {
      modelPath: '/models/coco-retinanet.onnx',
      modelSha256: '0'.repeat(64),
      modelConfig: {},
      providerRequested: 'cpu',
      decodeCutoff: 0.5,
      scope: 'all',
      labels: [],
      startedAt: 'now',
    })
    const pendingMs = time(() => countPendingImages(writer, resumeRunId))
    console.log(`resume set of a new run over ${IMAGE_COUNT.toLocaleString('en')} images counted in ${pendingMs.toFixed(1)} ms`)
    writer.close()
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
