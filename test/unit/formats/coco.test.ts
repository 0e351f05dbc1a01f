import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  assignImageIds,
  cocoBbox,
  createCocoDatasetWriter,
  createCocoResultsWriter,
  type CocoAnnotation,
  type CocoImage,
  type CocoResult,
} from '../../../src-main/core/formats/coco'
import { openFileSink } from '../../../src-main/core/formats/text-sink'
import type { Detection, ModelClass } from '../../../src-main/core/detect/types'

let folder: string
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'coco-'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

// COCO-style ids with a gap, as torchvision's COCO models have.
const classes: ModelClass[] = [
  { index: 1, name: 'person', categoryId: 1 },
  { index: 3, name: 'car', categoryId: 3 },
]

const images: { image: CocoImage; detections: Detection[] }[] = [
  {
    image: { id: 1, file_name: 'a.jpg', width: 640, height: 480 },
    detections: [
      { classIndex: 1, score: 0.91234567, box: [10, 20, 110, 220] },
      { classIndex: 3, score: 0.5, box: [0.5, 0.25, 40.75, 10.125] },
      { classIndex: 2, score: 0.4, box: [1, 1, 2, 2] }, // a label the config does not name
    ],
  },
  { image: { id: 3, file_name: 'sub/c.png', width: 100, height: 200 }, detections: [{ classIndex: 3, score: 0.25, box: [5, 5, 15, 25] }] },
]

describe('image ids', () => {
  it('are 1-based in sorted relative-path order, whatever order the paths come in', () => {
    const ids = assignImageIds(['sub/c.png', 'b.jpg', 'a.jpg', 'B.jpg'])
    expect([...ids.entries()]).toEqual([['B.jpg', 1], ['a.jpg', 2], ['b.jpg', 3], ['sub/c.png', 4]])
  })
})

describe('bbox', () => {
  it('is [x, y, width, height] from [x1, y1, x2, y2], kept to a thousandth of a pixel', () => {
    expect(cocoBbox([1.23456, 2, 11.23456, 7.5])).toEqual([1.235, 2, 10, 5.5])
  })
})

describe('dataset writer', () => {
  it('writes images, categories and annotations that reference each other', async () => {
    const path = join(folder, 'dataset.json')
    const writer = await createCocoDatasetWriter(await openFileSink(path), classes, 'test run')
    // Images may finish out of order; the file lists them by id.
    for (const { image, detections } of [...images].reverse()) await writer.addImage(image, detections)
    expect(existsSync(path)).toBe(false) // only the .partial exists until finish
    await writer.finish()
    expect(existsSync(`${path}.partial`)).toBe(false)

    const dataset = JSON.parse(readFileSync(path, 'utf8')) as {
      info: { description: string }
      images: CocoImage[]
      categories: { id: number; name: string }[]
      annotations: CocoAnnotation[]
    }
    expect(dataset.info.description).toBe('test run')
    expect(dataset.images).toEqual(images.map(({ image }) => image))
    expect(dataset.categories.map(({ id, name }) => [id, name])).toEqual([[1, 'person'], [3, 'car']])
    expect(dataset.annotations).toEqual([
      { id: 1, image_id: 3, category_id: 3, bbox: [5, 5, 10, 20], area: 200, iscrowd: 0, score: 0.25 },
      { id: 2, image_id: 1, category_id: 1, bbox: [10, 20, 100, 200], area: 20000, iscrowd: 0, score: 0.912346 },
      { id: 3, image_id: 1, category_id: 3, bbox: [0.5, 0.25, 40.25, 9.875], area: 397.469, iscrowd: 0, score: 0.5 },
    ])
  })

  it('abort leaves no file behind', async () => {
    const path = join(folder, 'aborted.json')
    const writer = await createCocoDatasetWriter(await openFileSink(path), classes, 'aborted')
    await writer.addImage(images[0]!.image, images[0]!.detections)
    await writer.abort()
    expect(existsSync(path)).toBe(false)
    expect(existsSync(`${path}.partial`)).toBe(false)
  })

  it('an image without detections still appears, and an empty run is valid JSON', async () => {
    const path = join(folder, 'empty.json')
    const writer = await createCocoDatasetWriter(await openFileSink(path), classes, 'empty')
    await writer.addImage({ id: 7, file_name: 'blank.png', width: 1, height: 1 }, [])
    await writer.finish()
    const dataset = JSON.parse(readFileSync(path, 'utf8')) as { images: CocoImage[]; annotations: unknown[] }
    expect(dataset.images).toHaveLength(1)
    expect(dataset.annotations).toEqual([])
  })
})

describe('results writer', () => {
  it('writes the list loadRes takes, with the same image and category ids as the dataset', async () => {
    const path = join(folder, 'results.json')
    const writer = await createCocoResultsWriter(await openFileSink(path), classes)
    for (const { image, detections } of images) await writer.addImage(image, detections)
    await writer.finish()
    const results = JSON.parse(readFileSync(path, 'utf8')) as CocoResult[]
    expect(results).toEqual([
      { image_id: 1, category_id: 1, bbox: [10, 20, 100, 200], score: 0.912346 },
      { image_id: 1, category_id: 3, bbox: [0.5, 0.25, 40.25, 9.875], score: 0.5 },
      { image_id: 3, category_id: 3, bbox: [5, 5, 10, 20], score: 0.25 },
    ])
  })

  it('an empty run is an empty list', async () => {
    const path = join(folder, 'no-results.json')
    const writer = await createCocoResultsWriter(await openFileSink(path), classes)
    await writer.finish()
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual([])
  })
})
