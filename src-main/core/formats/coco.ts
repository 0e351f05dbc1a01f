/**
 * COCO files for detections: a full dataset (images, categories, annotations — what training
 * code and annotation tools import) and the results list pycocotools' `COCO.loadRes` takes
 * (image_id, category_id, bbox, score). Both assign image ids the same way, 1-based in sorted
 * relative-path order, so a results file scores against a dataset file of the same folder.
 *
 * Writers stream: annotations go out as images finish, so memory stays flat over tens of
 * thousands of images. The file sink writes `<file>.partial` and renames it on `finish()`,
 * so an interrupted run never leaves a truncated file under the real name.
 */
import type { Detection, ModelClass } from '../detect/types'
import type { TextSink } from './text-sink'

export interface CocoImage {
  id: number
  /** Relative to the input folder, forward slashes. */
  file_name: string
  /** Displayed (EXIF-oriented) size. */
  width: number
  height: number
}

export interface CocoCategory {
  id: number
  name: string
  supercategory: string
}

export interface CocoAnnotation {
  id: number
  image_id: number
  category_id: number
  /** [x, y, width, height] in pixels, top-left origin. */
  bbox: [number, number, number, number]
  area: number
  iscrowd: 0
  score: number
}

export interface CocoResult {
  image_id: number
  category_id: number
  bbox: [number, number, number, number]
  score: number
}

/** 1-based ids in sorted (code point) order of the relative paths; the same folder always gets the same ids. */
export function assignImageIds(relativePaths: readonly string[]): Map<string, number> {
  const sorted = [...relativePaths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return new Map(sorted.map((path, index) => [path, index + 1]))
}

export function cocoCategories(classes: readonly ModelClass[]): CocoCategory[] {
  return classes.map((modelClass) => ({ id: modelClass.categoryId, name: modelClass.name, supercategory: 'object' }))
}

/** Box coordinates are kept to a thousandth of a pixel, scores to a millionth. */
export function cocoBbox(box: Detection['box']): [number, number, number, number] {
  const [x1, y1, x2, y2] = box
  return [round(x1, 3), round(y1, 3), round(x2 - x1, 3), round(y2 - y1, 3)]
}

/** Converts an image's detections; detections of label indices the config does not name are left out. */
export function cocoResults(imageId: number, detections: readonly Detection[], categoryIdByIndex: ReadonlyMap<number, number>): CocoResult[] {
  const results: CocoResult[] = []
  for (const detection of detections) {
    const categoryId = categoryIdByIndex.get(detection.classIndex)
    if (categoryId === undefined) continue
    results.push({ image_id: imageId, category_id: categoryId, bbox: cocoBbox(detection.box), score: round(detection.score, 6) })
  }
  return results
}

export function categoryIdMap(classes: readonly ModelClass[]): Map<number, number> {
  return new Map(classes.map((modelClass) => [modelClass.index, modelClass.categoryId]))
}

export interface CocoWriter {
  /** Adds one successfully processed image with its detections. */
  addImage(image: CocoImage, detections: readonly Detection[]): Promise<void>
  finish(): Promise<void>
  /** Removes the partial output (after a cancelled or failed run). */
  abort(): Promise<void>
}

/**
 * A COCO dataset. Annotations are streamed; the image list (small) is written at the end,
 * which JSON allows since object keys are unordered.
 */
export async function createCocoDatasetWriter(file: TextSink, classes: readonly ModelClass[], description: string): Promise<CocoWriter> {
  const categoryIds = categoryIdMap(classes)
  const images: CocoImage[] = []
  let annotationId = 0
  const info = { description, date_created: new Date().toISOString() }
  await file.write(`{"info":${JSON.stringify(info)},"licenses":[],"categories":${JSON.stringify(cocoCategories(classes))},"annotations":[`)
  return {
    async addImage(image, detections) {
      images.push(image)
      for (const result of cocoResults(image.id, detections, categoryIds)) {
        const [, , width, height] = result.bbox
        const annotation: CocoAnnotation = {
          id: ++annotationId,
          image_id: result.image_id,
          category_id: result.category_id,
          bbox: result.bbox,
          area: round(width * height, 3),
          iscrowd: 0,
          score: result.score,
        }
        await file.write(`${annotationId === 1 ? '' : ','}\n${JSON.stringify(annotation)}`)
      }
    },
    async finish() {
      images.sort((a, b) => a.id - b.id)
      await file.write(`\n],"images":[${images.map((image) => `\n${JSON.stringify(image)}`).join(',')}\n]}\n`)
      await file.commit()
    },
    abort: () => file.discard(),
  }
}

/** A results list for pycocotools' `loadRes`: a JSON array of {image_id, category_id, bbox, score}. */
export async function createCocoResultsWriter(file: TextSink, classes: readonly ModelClass[]): Promise<CocoWriter> {
  const categoryIds = categoryIdMap(classes)
  let count = 0
  await file.write('[')
  return {
    async addImage(image, detections) {
      for (const result of cocoResults(image.id, detections, categoryIds)) {
        await file.write(`${count++ === 0 ? '' : ','}\n${JSON.stringify(result)}`)
      }
    },
    async finish() {
      await file.write('\n]\n')
      await file.commit()
    },
    abort: () => file.discard(),
  }
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}
