/**
 * Round trips: the project's labels exported in each format, then imported into a fresh
 * project over the same image folder, come back the same — within the format's precision
 * (COCO a thousandth of a pixel for x, y, width and height, LabelMe for each corner, YOLO 6 normalized decimals, VOC whole pixels) —
 * with the same classes in the same order and the same reviewed images.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listClasses } from '../../../src-main/core/db/classes-repository'
import type { SqliteDatabase } from '../../../src-main/core/db/connection'
import { exportLabels, type LabelExportOptions } from '../../../src-main/core/formats/export-labels'
import { applyLabelImport, planLabelImport, readLabelSet } from '../../../src-main/core/formats/import-labels'
import type { ImportFormat } from '../../../src-main/core/formats/label-set'
import type { Box } from '../../../src-shared/geometry/box'
import { CLASS_NAMES, createLabelledProject, createProject, type ExpectedLabel, type LabelledProject } from './labelled-project'

let folder: string
let source: LabelledProject
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'label-round-trip-'))
  source = await createLabelledProject(folder)
})
afterAll(async () => {
  source.project.close()
  await rm(folder, { recursive: true, force: true })
})

function labelsOf(db: SqliteDatabase): Map<string, ExpectedLabel[]> {
  const rows = db
    .prepare(
      `SELECT i.path, c.name, a.x1, a.y1, a.x2, a.y2 FROM annotations a JOIN images i ON i.id = a.image_id JOIN classes c ON c.id = a.class_id
       WHERE a.deleted_at IS NULL ORDER BY i.path, a.id`,
    )
    .all() as Array<{ path: string; name: string; x1: number; y1: number; x2: number; y2: number }>
  const labels = new Map<string, ExpectedLabel[]>()
  for (const row of rows) labels.set(row.path, [...(labels.get(row.path) ?? []), { className: row.name, box: [row.x1, row.y1, row.x2, row.y2] }])
  return labels
}

function reviewedOf(db: SqliteDatabase): string[] {
  return (db.prepare("SELECT path FROM images WHERE status = 'reviewed' ORDER BY path").pluck().all() as string[])
}

const byPosition = (a: ExpectedLabel, b: ExpectedLabel) => a.box[0] - b.box[0] || a.box[1] - b.box[1]

interface Case {
  format: ImportFormat
  images: LabelExportOptions['images']
  split?: LabelExportOptions['split']
  /** The labels as the format can carry them. */
  expected(box: Box, size: { width: number; height: number }): Box
  tolerance(size: { width: number; height: number }): number
}

const round3 = (box: Box) => box.map((value) => Math.round(value * 1000) / 1000) as Box
const cases: Case[] = [
  { format: 'coco', images: 'copy', expected: (box) => box, tolerance: () => 1e-3 },
  { format: 'coco', images: 'none', split: [{ name: 'train', fraction: 0.7 }, { name: 'val', fraction: 0.3 }], expected: (box) => box, tolerance: () => 1e-3 },
  { format: 'yolo', images: 'copy', split: [{ name: 'train', fraction: 0.5 }, { name: 'val', fraction: 0.5 }], expected: (box) => box, tolerance: (size) => Math.max(size.width, size.height) * 1e-6 },
  { format: 'yolo', images: 'none', expected: (box) => box, tolerance: (size) => Math.max(size.width, size.height) * 1e-6 },
  { format: 'voc', images: 'copy', expected: (box) => box.map(Math.round) as Box, tolerance: () => 0 },
  { format: 'voc', images: 'link', split: [{ name: 'train', fraction: 0.8 }, { name: 'val', fraction: 0.2 }], expected: (box) => box.map(Math.round) as Box, tolerance: () => 0 },
  { format: 'labelme', images: 'copy', expected: round3, tolerance: () => 1e-9 },
  { format: 'labelme', images: 'none', split: [{ name: 'train', fraction: 0.6 }, { name: 'test', fraction: 0.4 }], expected: round3, tolerance: () => 1e-9 },
]

describe('export then import gives the same labels, classes and reviewed set', () => {
  it.each(cases.map((entry, index) => [`${entry.format} (images ${entry.images}${entry.split ? ', split' : ''})`, index] as const))('%s', async (_name, index) => {
    const entry = cases[index]!
    const out = join(folder, `export-${index}`)
    const report = await exportLabels(
      { db: source.project.db, imageRoot: source.project.imageRoot, name: 'source' },
      { format: entry.format, out, allImages: false, includeEmpty: true, images: entry.images, split: entry.split },
    )
    expect(report.state).toBe('done')
    expect(report.images).toBe(source.reviewed.size)
    const rotated = [...source.reviewed].filter((path) => path.startsWith('rotated/')).length
    expect(rotated).toBeGreaterThan(0)
    expect(report.orientedImages.count).toBe(entry.images === 'copy' ? 0 : rotated)
    expect(report.imagesRotatedUpright).toBe(entry.images === 'copy' ? rotated : 0)
    expect(report.imageFileProblems.count).toBe(0)

    const target = await createProject(folder, source.imageFolder, `target-${index}`)
    try {
      const options = { mode: 'add' as const, markReviewed: true, addClasses: true }
      const set = await readLabelSet(entry.format, out)
      const plan = planLabelImport(target.db, target.imageRoot, set, options)
      expect(plan.problems).toEqual([])
      expect(plan.imagesMatched).toBe(source.reviewed.size)
      applyLabelImport(target.db, plan, options)

      expect(listClasses(target.db).map((entry) => entry.name)).toEqual([...CLASS_NAMES])
      expect(reviewedOf(target.db)).toEqual([...source.reviewed].sort())
      const imported = labelsOf(target.db)
      const images = new Map((target.db.prepare('SELECT path, width, height FROM images').all() as Array<{ path: string; width: number; height: number }>).map((row) => [row.path, row]))
      let compared = 0
      for (const path of source.reviewed) {
        const size = images.get(path)!
        const want = (source.labels.get(path) ?? []).map((label) => ({ className: label.className, box: entry.expected(label.box, size) })).sort(byPosition)
        const got = [...(imported.get(path) ?? [])].sort(byPosition)
        expect(got.map((label) => label.className), path).toEqual(want.map((label) => label.className))
        got.forEach((label, at) => {
          label.box.forEach((value, corner) => expect(Math.abs(value - want[at]!.box[corner]!), `${path} box ${at}`).toBeLessThanOrEqual(entry.tolerance(size) + 1e-9))
          compared++
        })
      }
      expect(compared).toBeGreaterThan(10)
      // Unreviewed images were not exported, so they have no labels in the new project.
      for (const path of source.labels.keys()) if (!source.reviewed.has(path)) expect(imported.get(path)).toBeUndefined()
    } finally {
      target.close()
    }
  })

  it('copies EXIF-rotated images upright, without the orientation tag', async () => {
    const out = join(folder, 'export-upright')
    await exportLabels(
      { db: source.project.db, imageRoot: source.project.imageRoot, name: 'source' },
      { format: 'coco', out, allImages: true, includeEmpty: true, images: 'copy' },
    )
    const copies = await readdir(join(out, 'images', 'rotated'))
    expect(copies.sort()).toEqual(['portrait-eight.jpg', 'portrait-six.jpg'])
    for (const name of copies) {
      const metadata = await sharp(join(out, 'images', 'rotated', name)).metadata()
      expect(metadata.orientation ?? 1).toBe(1)
      // Displayed portrait (stored landscape in the original).
      expect(metadata.height).toBeGreaterThan(metadata.width)
    }
  })
})
