/** Types of the label export API (see transfer-schemas.ts for its arguments). */

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
  seconds: number
}

/** Progress of the export going on; at most about ten a second. */
export interface LabelExportProgress {
  done: number
  total: number
}
