/**
 * Exports as real readers read them. The COCO file as pycocotools' COCO() loads it and the VOC
 * XML as Python's expat-based ElementTree parses it were recorded by
 * tools/formats/reference-readers.ts (test/fixtures/formats/reference-readers.json); today's
 * exports of the same project must read the same. The YOLO layout is checked against
 * Ultralytics' documented rules (docs.ultralytics.com/datasets/detect).
 */
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listClasses } from '../../../src-main/core/db/classes-repository'
import { listImages } from '../../../src-main/core/db/images-repository'
import { exportLabels } from '../../../src-main/core/formats/export-labels'
import { collidingStems, exportStem, splitExtension } from '../../../src-main/core/formats/export-paths'
import { toVocBox } from '../../../src-main/core/formats/writers/voc-writer'
import { exportReferenceFixture, type ReferenceExport } from './reference-export'

interface Recorded {
  coco: { images: Array<{ id: number; file_name: string; annotations: unknown[] }>; categories: Array<{ id: number; name: string }>; annotation_count: number }
  voc: Record<string, { filename: string; path: string; size: number[]; objects: Array<{ name: string; pose: string; truncated: number; difficult: number; bndbox: number[] }> }>
}

let folder: string
let exported: ReferenceExport
let recorded: Recorded
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'reference-readers-'))
  exported = await exportReferenceFixture(folder)
  recorded = JSON.parse(await readFile(new URL('../../fixtures/formats/reference-readers.json', import.meta.url), 'utf8')) as Recorded
})
afterAll(async () => {
  exported.source.project.close()
  await rm(folder, { recursive: true, force: true })
})

describe('exports as real readers read them', () => {
  it('COCO: pycocotools read the same images, categories and annotations', async () => {
    const written = JSON.parse(await readFile(exported.cocoFile, 'utf8')) as {
      images: Array<{ id: number; file_name: string; width: number; height: number }>
      categories: Array<{ id: number; name: string }>
      annotations: Array<{ id: number; image_id: number; category_id: number; bbox: number[]; area: number; iscrowd: number }>
    }
    const view = {
      images: [...written.images]
        .sort((a, b) => a.id - b.id)
        .map((image) => ({
          ...image,
          annotations: written.annotations.filter((a) => a.image_id === image.id).map(({ category_id, bbox, area, iscrowd }) => ({ category_id, bbox, area, iscrowd })),
        })),
      categories: written.categories.map(({ id, name }) => ({ id, name })),
      annotation_count: written.annotations.length,
    }
    // Image ids follow the scan's insertion order, which may differ from run to run: compare by file name.
    const byFileName = (coco: Recorded['coco']) => ({
      ...coco,
      images: coco.images.map(({ id: _id, ...image }) => image).sort((a, b) => (a.file_name < b.file_name ? -1 : 1)),
    })
    expect(byFileName(view)).toEqual(byFileName(recorded.coco))
    // Categories are the project's classes: its ids, in its order.
    expect(recorded.coco.categories).toEqual(listClasses(exported.source.project.db).map(({ id, name }) => ({ id, name })))
    expect(recorded.coco.images).toHaveLength(exported.source.labels.size)
  })

  it('Pascal VOC: expat read the intended file names, sizes and 1-based integer boxes', () => {
    const { db } = exported.source.project
    const colliding = collidingStems(listImages(db, 0, 1000).map((image) => image.relativePath))
    const expected: Recorded['voc'] = {}
    for (const image of listImages(db, 0, 1000)) {
      const stem = exportStem(image.relativePath, colliding)
      expected[`${stem}.xml`] = {
        filename: `${stem.split('/').pop()}${splitExtension(image.relativePath).extension}`,
        path: image.relativePath,
        size: [image.width, image.height, 3],
        objects: (exported.source.labels.get(image.relativePath) ?? []).map((label) => ({
          name: label.className,
          pose: 'Unspecified',
          truncated: 0,
          difficult: 0,
          bndbox: toVocBox(label.box, image.width, image.height),
        })),
      }
    }
    expect(recorded.voc).toEqual(Object.fromEntries(Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1))))
    expect(Object.keys(recorded.voc)).toContain('pair/shot_jpg.xml')
  })

  it('YOLO: every image has its label file where Ultralytics looks, in the documented line format', async () => {
    const out = join(folder, 'yolo')
    const { db, imageRoot } = exported.source.project
    await exportLabels({ db, imageRoot, name: 'reference' }, { format: 'yolo', out, allImages: true, includeEmpty: true, images: 'copy', split: [{ name: 'train', fraction: 0.7 }, { name: 'val', fraction: 0.3 }] })
    const data = parseYaml(await readFile(join(out, 'data.yaml'), 'utf8')) as { path: string; train: string; val: string; nc: number; names: Record<number, string> }
    expect(data).toEqual({ path: out, train: 'images/train', val: 'images/val', nc: 4, names: { 0: 'zebra', 1: 'cat', 2: 'bird 鳥', 3: 'unused' } })
    const images = (await readdir(join(out, 'images'), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile())
    expect(images).toHaveLength(exported.source.labels.size)
    const labelFiles = new Set<string>()
    for (const entry of images) {
      const imagePath = join(entry.parentPath, entry.name)
      // Ultralytics img2label_paths: the last /images/ becomes /labels/, the extension .txt.
      const sa = `${sep}images${sep}`
      const at = imagePath.lastIndexOf(sa)
      const labelPath = `${imagePath.slice(0, at)}${sep}labels${sep}${imagePath.slice(at + sa.length).replace(/\.[^./\\]+$/, '')}.txt`
      labelFiles.add(labelPath)
      const lines = (await readFile(labelPath, 'utf8')).split('\n').filter((line) => line !== '')
      for (const line of lines) expect(line, relative(out, labelPath)).toMatch(/^[0-3]( (0|1)\.\d{6}){4}$/)
    }
    // No two images share a label file (same stem in different folders, or one folder).
    expect(labelFiles.size).toBe(images.length)
  })
})
