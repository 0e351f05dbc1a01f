/**
 * What a project teaches: its reviewed images with their labels (reviewed images without
 * labels teach "nothing here"), the classes the trained model will have, and a held-out split
 * chosen by a stable hash of each image's path, so adding images never moves one between train
 * and held-out.
 */
import type { SqliteDatabase } from '../db/connection'
import { iterateExportPages, listExportClasses } from '../db/label-export-query'
import type { ModelConfig } from '../detect/types'
import { AppError } from '../errors'
import { hashPath } from '../formats/split'
import { resolveImagePath } from '../projects/project-paths'
import type { LabelledImage } from './training-example'

export interface TrainingSet {
  /** Trained class names: the base model's in its order, then the project's new ones. */
  classNames: string[]
  /** Per trained class: 1 when the project labels it (it learns), 0 when only the base model knows it. */
  trainedClasses: Uint8Array
  /** Names of the classes the base model lacked. */
  newClasses: string[]
  train: LabelledImage[]
  heldOut: LabelledImage[]
  /** Reviewed images whose file is missing, left out. */
  missing: number
  labelCount: number
}

export const DEFAULT_HELD_OUT_FRACTION = 0.2

export function collectTrainingSet(
  db: SqliteDatabase,
  imageRoot: string,
  config: ModelConfig,
  heldOutFraction = DEFAULT_HELD_OUT_FRACTION,
): TrainingSet {
  const baseNames = Array.from({ length: config.numClasses }, (_, index) => config.classes.find((c) => c.index === index)?.name ?? `class ${index}`)
  const projectClasses = listExportClasses(db)
  const classNames = [...baseNames]
  const indexOfClassId = new Map<number, number>()
  for (const projectClass of projectClasses) {
    let index = classNames.indexOf(projectClass.name)
    if (index < 0) index = classNames.push(projectClass.name) - 1
    indexOfClassId.set(projectClass.id, index)
  }
  const images: LabelledImage[] = []
  let missing = 0
  let labelCount = 0
  const pages = iterateExportPages(db, { allImages: false, includeEmpty: false, reviewedNegatives: true })
  for (const page of pages) {
    for (const image of page) {
      if (image.missing) {
        missing++
        continue
      }
      const boxes = new Float32Array(image.boxes.length * 4)
      const classes = new Int32Array(image.boxes.length)
      image.boxes.forEach(({ classId, box }, i) => {
        const index = indexOfClassId.get(classId)
        if (index === undefined) throw new AppError('internal', `label class ${classId} is not a project class`)
        boxes.set(box, i * 4)
        classes[i] = index
      })
      labelCount += image.boxes.length
      images.push({ path: resolveImagePath(imageRoot, image.relativePath), name: image.relativePath, boxes, classes })
    }
  }
  // A class learns when the project has it, whether or not a label of it exists yet: a project
  // class without labels on reviewed images means "none of these here".
  const projectIndices = new Set(indexOfClassId.values())
  const trainedClasses = Uint8Array.from(classNames, (_, index) => (projectIndices.has(index) ? 1 : 0))
  const threshold = Math.round(heldOutFraction * 2 ** 32)
  const isHeldOut = (image: LabelledImage): boolean => hashPath(image.name) < threshold
  const heldOut = images.filter(isHeldOut)
  const train = images.filter((image) => !isHeldOut(image))
  return { classNames, trainedClasses, newClasses: classNames.slice(baseNames.length), train, heldOut, missing, labelCount }
}
