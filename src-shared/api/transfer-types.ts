/** Types of the label export API (see transfer-schemas.ts for its arguments). */
import type { Said } from '../messages/said'

export type LabelExportFormat = 'coco' | 'yolo' | 'voc' | 'labelme' | 'csv'
export type LabelExportImageMode = 'copy' | 'link' | 'none'

/** What an export wrote; `state` is `cancelled` when it was stopped (then nothing was written). */
export interface LabelExportResult {
  state: 'done' | 'cancelled'
  format: LabelExportFormat
  folder: string
  images: number
  labels: number
  /** Images written without labels (negatives). */
  negatives: number
  /** Images without labels the format cannot state (CSV), left out. */
  negativesLeftOut: number
  classes: string[]
  imagesPerSplit: Record<string, number>
  imagesRotatedUpright: number
  /** Images not copied that carry an EXIF orientation tag, with why that matters. */
  orientedImages: { count: number; paths: string[]; note: string | null }
  imageFileProblems: { count: number; items: Array<{ path: string; message: string }> }
  /** What was done with the image files. */
  imageMode: LabelExportImageMode
  /** Why the export cannot be trained on as it is (a YOLO export without its images), or null. */
  trainingNote: string | null
  seconds: number
}

/** What an export with the given options would write, counted before writing anything. */
export interface LabelExportPlan {
  images: number
  labels: number
  /** Images to be written without labels (negatives). */
  negatives: number
  /** Images without labels the format cannot state (CSV), to be left out. */
  negativesLeftOut: number
  imageMode: LabelExportImageMode
  /** Why the export would not train as it is, or null. */
  trainingNote: string | null
}

export type LabelImportFormat = 'coco' | 'yolo' | 'voc' | 'labelme'

/** What an import will do, shown before anything is written. */
export interface LabelImportPreview {
  imagesInFile: number
  imagesMatched: number
  labels: number
  /** Boxes partly outside their image, to be clipped. */
  boxesClipped: number
  /** Boxes under the smallest label size, left out (each also a problem). */
  boxesTooSmall: number
  /** Boxes whose class name breaks the class-name rule, left out (each also a problem). */
  boxesWithInvalidClass: number
  /** Class names the project lacks; the import needs `addClasses` to create them. */
  newClasses: string[]
  /** Replace mode: matched images a person touched, which keep their labels. */
  imagesKeptTouched: number
  /** The first problems (items left out and why); `problemCount` counts them all. */
  /** `message` in English; `said`, where present, words it in another language (see messages/said.ts). */
  problems: Array<{ source: string; item?: string; message: string; said?: Said }>
  problemCount: number
}

/** What an import wrote, as one undo step. */
export interface LabelImportOutcome {
  imagesChanged: number
  labelsCreated: number
  labelsRemoved: number
  imagesKeptTouched: number
  duplicatesSkipped: number
  imagesMarkedReviewed: number
  classesCreated: string[]
  problemCount: number
}
