/**
 * Reads a COCO detection file as ground truth for the metrics: boxes per image file name, with
 * each category mapped to the model's class index by name; `iscrowd` and `area` kept when given.
 */
import { fromXywh } from '../../../src-shared/geometry/box'
import { z } from 'zod'
import type { GroundTruthBox } from './types'

const cocoFile = z.object({
  images: z.array(z.object({ id: z.number(), file_name: z.string() })),
  annotations: z.array(
    z.object({
      image_id: z.number(),
      category_id: z.number(),
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      area: z.number().optional(),
      iscrowd: z.union([z.literal(0), z.literal(1), z.boolean()]).optional(),
    }),
  ),
  categories: z.array(z.object({ id: z.number(), name: z.string() })),
})

export class GroundTruthError extends Error {
  override name = 'GroundTruthError'
}

/** Ground truth per `file_name`; every image listed is present, with an empty list if it has no boxes. */
export function readCocoGroundTruth(json: unknown, classNames: readonly string[]): Map<string, GroundTruthBox[]> {
  const parsed = cocoFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new GroundTruthError(`not a COCO detection file: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  const coco = parsed.data
  const classOfCategory = new Map<number, number>()
  for (const category of coco.categories) {
    const index = classNames.indexOf(category.name)
    if (index < 0) throw new GroundTruthError(`category "${category.name}" is not one of the model's classes (${classNames.join(', ')})`)
    classOfCategory.set(category.id, index)
  }
  const fileOfImage = new Map(coco.images.map((image) => [image.id, image.file_name]))
  const byFile = new Map<string, GroundTruthBox[]>(coco.images.map((image) => [image.file_name, []]))
  for (const a of coco.annotations) {
    const file = fileOfImage.get(a.image_id)
    const classIndex = classOfCategory.get(a.category_id)
    if (file === undefined) throw new GroundTruthError(`an annotation refers to image id ${a.image_id}, which is not listed`)
    if (classIndex === undefined) throw new GroundTruthError(`an annotation refers to category id ${a.category_id}, which is not listed`)
    const box: GroundTruthBox = { classIndex, box: fromXywh(a.bbox) }
    // Crowd regions and COCO's own areas matter to the COCO metrics (see coco-matching.ts).
    if (a.iscrowd) box.crowd = true
    if (a.area !== undefined) box.area = a.area
    byFile.get(file)!.push(box)
  }
  return byFile
}
