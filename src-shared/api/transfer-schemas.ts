import { z } from 'zod'
import { absolutePath } from './schemas'

/** Arguments of `labels.export`; the same options as `project export` on the command line. */
export const labelsExportArgs = z.strictObject({
  format: z.enum(['coco', 'yolo', 'voc', 'labelme', 'csv']),
  /** A new or empty folder. */
  out: absolutePath,
  /** Every image with labels instead of reviewed images only. */
  allImages: z.boolean().default(false),
  /** Every chosen image without labels as a negative; by default only reviewed ones (reviewedNegatives). */
  includeEmpty: z.boolean().default(false),
  /** Reviewed images without labels are negatives: a labeler confirmed nothing is there. */
  reviewedNegatives: z.boolean().default(true),
  /** `train=0.8,val=0.2`; absent or empty for no split. */
  split: z.string().trim().max(200).optional(),
  /** Default: link for YOLO (it trains only with images/ beside labels/), none for the others. */
  images: z.enum(['copy', 'link', 'none']).optional(),
})

/** Arguments of `labels.planExport`: those of an export, without the destination. */
export const labelsPlanExportArgs = labelsExportArgs.omit({ out: true })

/** Arguments of `labels.planImport` and `labels.import`; the same options as `project import`. */
export const labelsImportArgs = z.strictObject({
  format: z.enum(['coco', 'yolo', 'voc', 'labelme']),
  /** The file or folder to import. */
  input: absolutePath,
  /** add: keep existing labels; replace: untouched images get the imported labels instead. */
  mode: z.enum(['add', 'replace']).default('add'),
  markReviewed: z.boolean().default(false),
  /** Create the classes the project lacks (the person confirmed them). */
  addClasses: z.boolean().default(false),
})
