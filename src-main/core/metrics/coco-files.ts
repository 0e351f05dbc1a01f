/**
 * Reads a COCO ground-truth file and a COCO detection results file into an evaluation input,
 * the way pycocotools' COCO / loadRes / COCOeval._prepare see them: images and categories
 * indexed by ascending id, boxes in file order, `area` and `iscrowd` of the ground truth used as
 * given (area defaults to w·h, iscrowd to 0), results on unknown images refused, results of
 * categories the ground truth does not list left out (and counted).
 */
import { z } from 'zod'
import { EvaluationInputBuilder, type EvaluationInput } from './evaluation-input'

const bbox = z.tuple([z.number(), z.number(), z.number().nonnegative(), z.number().nonnegative()])

const groundTruthFile = z.object({
  images: z.array(z.object({ id: z.number().int() }).loose()),
  annotations: z.array(
    z
      .object({
        image_id: z.number().int(),
        category_id: z.number().int(),
        bbox,
        area: z.number().optional(),
        iscrowd: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
      })
      .loose(),
  ),
  categories: z.array(z.object({ id: z.number().int(), name: z.string() }).loose()),
})

const resultsFile = z.array(z.object({ image_id: z.number().int(), category_id: z.number().int(), bbox, score: z.number() }).loose())

export class CocoFileError extends Error {
  override name = 'CocoFileError'
}

export interface CocoEvaluationFiles {
  input: EvaluationInput
  /** Image ids in index order (ascending). */
  imageIds: number[]
  /** Categories in index order (ascending id). */
  categories: { id: number; name: string }[]
  /** Results whose category the ground truth does not list (pycocotools leaves them out too). */
  skippedDetections: number
}

function parse<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new CocoFileError(`not a COCO ${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
}

export function readCocoEvaluationFiles(groundTruthJson: unknown, resultsJson: unknown): CocoEvaluationFiles {
  const truth = parse(groundTruthFile, groundTruthJson, 'ground-truth file')
  const results = parse(resultsFile, resultsJson, 'results file (a list of {image_id, category_id, bbox, score})')
  const imageIds = [...new Set(truth.images.map((image) => image.id))].sort((a, b) => a - b)
  const categories = [...new Map(truth.categories.map((c) => [c.id, { id: c.id, name: c.name }])).values()].sort((a, b) => a.id - b.id)
  const imageIndex = new Map(imageIds.map((id, index) => [id, index]))
  const categoryIndex = new Map(categories.map((c, index) => [c.id, index]))
  const builder = new EvaluationInputBuilder(imageIds.length, categories.length)
  for (const annotation of truth.annotations) {
    const image = imageIndex.get(annotation.image_id)
    const category = categoryIndex.get(annotation.category_id)
    if (image === undefined) throw new CocoFileError(`a ground-truth annotation refers to image id ${annotation.image_id}, which is not listed`)
    if (category === undefined) continue // pycocotools never loads annotations of unlisted categories
    builder.addGroundTruth(image, category, annotation.bbox, { area: annotation.area, crowd: Boolean(annotation.iscrowd) })
  }
  let skippedDetections = 0
  for (const result of results) {
    const image = imageIndex.get(result.image_id)
    if (image === undefined) throw new CocoFileError(`a result refers to image id ${result.image_id}, which the ground truth does not list`)
    const category = categoryIndex.get(result.category_id)
    if (category === undefined) {
      skippedDetections++
      continue
    }
    builder.addDetection(image, category, result.bbox, result.score)
  }
  return { input: builder.build(), imageIds, categories, skippedDetections }
}
