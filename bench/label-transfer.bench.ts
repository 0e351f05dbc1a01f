/**
 * Export and import of a large project's labels: images/s and peak memory per format, as
 * ratios against baselines measured in the same run — the bare cost of streaming the same
 * label rows out of SQLite into one JSON file (export), and of parsing that file and inserting
 * its rows into a table without indexes (import).
 *
 * Scale: LABEL_BENCH_IMAGES images (default 20,000) with 20 labels each; the issue's target is
 * 100,000 images and 2,000,000 labels (LABEL_BENCH_IMAGES=100000). The images are marked missing
 * on disk, so no image file is read: the figures are the labels' own cost (`--images none`).
 */
import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { ensureClassesByName } from '../src-main/core/db/classes-repository'
import { openDatabase, type SqliteDatabase } from '../src-main/core/db/connection'
import { type NewImage, upsertImages } from '../src-main/core/db/images-repository'
import { migrate } from '../src-main/core/db/migrate'
import { projectMigrations } from '../src-main/core/db/migrations'
import { exportLabels } from '../src-main/core/formats/export-labels'
import { applyLabelImport, planLabelImport, readLabelSet } from '../src-main/core/formats/import-labels'
import type { ExportFormat, ImportFormat } from '../src-main/core/formats/label-set'

const IMAGE_COUNT = Number(process.env.LABEL_BENCH_IMAGES ?? 20_000)
const LABELS_PER_IMAGE = 20
const CLASSES = ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck', 'boat', 'bench', 'bird', 'giraffe']
const NOW = '2026-03-01T10:00:00.000Z'

function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 2 ** 32
  }
}

function createProject(file: string, withLabels: boolean): SqliteDatabase {
  const db = openDatabase(file, { mustExist: false })
  migrate(db, projectMigrations)
  const images: NewImage[] = Array.from({ length: IMAGE_COUNT }, (_, index) => ({
    relativePath: `site-${String(index % 50).padStart(2, '0')}/frame-${String(index).padStart(6, '0')}.jpg`,
    format: 'jpeg',
    width: 1920,
    height: 1080,
    fileSize: 1,
    mtimeMs: 1,
  }))
  upsertImages(db, images, NOW)
  db.exec("UPDATE images SET missing = 1, status = 'reviewed'")
  const classIds = [...ensureClassesByName(db, CLASSES, NOW).values()]
  if (!withLabels) return db
  const random = pseudoRandom(11)
  const insert = db.prepare(`INSERT INTO annotations (image_id, class_id, x1, y1, x2, y2, origin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'manual', ?, ?)`)
  const ids = db.prepare('SELECT id FROM images ORDER BY id').pluck().all() as number[]
  db.transaction(() => {
    for (const id of ids) {
      for (let k = 0; k < LABELS_PER_IMAGE; k++) {
        const x = random() * 1800
        const y = random() * 1000
        insert.run(id, classIds[Math.floor(random() * classIds.length)]!, x, y, x + 10 + random() * 100, y + 10 + random() * 70, NOW, NOW)
      }
    }
  })()
  return db
}

/** Runs an action while sampling the resident set size; returns seconds and the peak RSS in MiB. */
async function measure(action: () => Promise<unknown>): Promise<{ seconds: number; peakMiB: number }> {
  global.gc?.()
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
  const start = performance.now()
  await action()
  const seconds = (performance.now() - start) / 1000
  clearInterval(timer)
  peak = Math.max(peak, process.memoryUsage().rss)
  return { seconds, peakMiB: peak / 1024 / 1024 }
}

/** Baseline export: the same label rows streamed out of SQLite as JSON lines into one file. */
async function bareExport(db: SqliteDatabase, file: string): Promise<void> {
  const out = createWriteStream(file)
  const rows = db.prepare('SELECT a.id, a.image_id, a.class_id, a.x1, a.y1, a.x2, a.y2 FROM annotations a JOIN images i ON i.id = a.image_id ORDER BY i.path, a.id').iterate()
  let pending: string[] = []
  for (const row of rows) {
    pending.push(JSON.stringify(row))
    if (pending.length >= 10_000) {
      if (!out.write(`${pending.join(',\n')},\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
      pending = []
    }
  }
  out.end(pending.join(',\n'))
  await new Promise<void>((resolve) => out.once('finish', () => resolve()))
}

/** Baseline import: parse a COCO file and insert its boxes into a table without indexes, in one transaction. */
async function bareImport(db: SqliteDatabase, file: string): Promise<void> {
  const coco = JSON.parse(await readFile(file, 'utf8')) as { annotations: Array<{ image_id: number; category_id: number; bbox: number[] }> }
  db.exec('CREATE TABLE IF NOT EXISTS bare (image_id INTEGER, class_id INTEGER, x REAL, y REAL, w REAL, h REAL) STRICT')
  const insert = db.prepare('INSERT INTO bare VALUES (?, ?, ?, ?, ?, ?)')
  db.transaction(() => {
    for (const a of coco.annotations) insert.run(a.image_id, a.category_id, a.bbox[0], a.bbox[1], a.bbox[2], a.bbox[3])
  })()
}

export async function run(): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'label-transfer-bench-'))
  try {
    const setupStart = performance.now()
    const db = createProject(join(folder, 'source.rwproj'), true)
    const project = { db, imageRoot: join(folder, 'images'), name: 'bench' }
    console.log(`project: ${IMAGE_COUNT} images, ${IMAGE_COUNT * LABELS_PER_IMAGE} labels (made in ${((performance.now() - setupStart) / 1000).toFixed(1)} s); rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`)

    const exportBaseline = await measure(() => bareExport(db, join(folder, 'bare.json')))
    console.log(`export baseline (bare rows → JSON): ${exportBaseline.seconds.toFixed(2)} s, ${(IMAGE_COUNT / exportBaseline.seconds).toFixed(0)} images/s, peak rss ${exportBaseline.peakMiB.toFixed(0)} MiB`)
    for (const format of ['coco', 'yolo', 'voc', 'labelme', 'csv'] as ExportFormat[]) {
      const result = await measure(() => exportLabels(project, { format, out: join(folder, `export-${format}`), allImages: false, includeEmpty: false, images: 'none' }))
      console.log(
        `export ${format.padEnd(7)}: ${result.seconds.toFixed(2)} s, ${(IMAGE_COUNT / result.seconds).toFixed(0)} images/s ` +
          `(${(result.seconds / exportBaseline.seconds).toFixed(2)}× the baseline's time), peak rss ${result.peakMiB.toFixed(0)} MiB`,
      )
    }

    const baselineDb = createProject(join(folder, 'bare.rwproj'), false)
    const importBaseline = await measure(() => bareImport(baselineDb, join(folder, 'export-coco', 'annotations.json')))
    baselineDb.close()
    console.log(`import baseline (parse COCO + bare inserts): ${importBaseline.seconds.toFixed(2)} s, ${(IMAGE_COUNT / importBaseline.seconds).toFixed(0)} images/s, peak rss ${importBaseline.peakMiB.toFixed(0)} MiB`)
    for (const format of ['coco', 'yolo', 'voc', 'labelme'] as ImportFormat[]) {
      const target = createProject(join(folder, `import-${format}.rwproj`), false)
      const options = { mode: 'add' as const, markReviewed: true, addClasses: true }
      let labels = 0
      const result = await measure(async () => {
        const plan = planLabelImport(target, project.imageRoot, await readLabelSet(format, join(folder, `export-${format}`)), options)
        labels = applyLabelImport(target, plan, options).labelsCreated
      })
      target.close()
      console.log(
        `import ${format.padEnd(7)}: ${result.seconds.toFixed(2)} s, ${(IMAGE_COUNT / result.seconds).toFixed(0)} images/s, ${labels} labels ` +
          `(${(result.seconds / importBaseline.seconds).toFixed(2)}× the baseline's time), peak rss ${result.peakMiB.toFixed(0)} MiB`,
      )
    }
    db.close()
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
