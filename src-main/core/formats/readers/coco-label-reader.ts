/**
 * Reads COCO detection JSON (one file, or every `.json` directly in a folder, as a split export
 * writes them). The file as a whole must be COCO (else nothing is imported); each image,
 * category and annotation that is malformed — wrong types, duplicated ids, unknown image or
 * category ids, NaN or non-positive sizes — is reported by id and left out.
 */
import { join } from 'node:path'
import { AppError } from '../../errors'
import { ProblemLog, readEachFile, type ImportedImage, type ImportedLabelSet, type LabelReadOptions } from '../label-set'
import { isFiniteNumber, isFolder, listFiles, readJsonFile, relativeSource, toForwardSlashes } from './read-input'

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const isId = (value: unknown): value is number => Number.isSafeInteger(value)

export async function readCocoLabels(input: string, options: LabelReadOptions = {}): Promise<ImportedLabelSet> {
  const folder = await isFolder(input)
  const set: ImportedLabelSet = { classNames: [], images: [], problems: new ProblemLog() }
  const skipped = (file: string, reason: string) => set.problems.add(relativeSource(input, file), undefined, reason)
  const files = folder ? await listFiles(input, ['.json'], skipped, { recursive: false }) : [input]
  if (files.length === 0) throw new AppError('invalid-argument', { key: 'importRefused.noCocoFile', values: { folder: input } })
  await readEachFile(files, options, async (file) => {
    const source = folder ? relativeSource(input, file) : relativeSource(join(file, '..'), file)
    readCocoDocument(await readJsonFile(file, 'COCO JSON'), source, set)
  })
  return set
}

export function readCocoDocument(document: unknown, source: string, set: ImportedLabelSet): void {
  const { problems } = set
  if (!isObject(document) || !Array.isArray(document.images) || !Array.isArray(document.annotations) || !Array.isArray(document.categories)) {
    throw new AppError('invalid-argument', { key: 'importRefused.notCoco', values: { file: source } })
  }
  const categories = new Map<number, string>()
  document.categories.forEach((category: unknown, index) => {
    if (!isObject(category) || !isId(category.id) || typeof category.name !== 'string' || category.name.trim() === '') {
      problems.add(source, `categories[${index}]`, { key: 'importProblem.cocoCategoryInvalid' })
    } else if (categories.has(category.id)) {
      problems.add(source, `category ${category.id}`, { key: 'importProblem.cocoCategoryIdTwice' })
    } else {
      const name = category.name.trim()
      categories.set(category.id, name)
      if (!set.classNames.includes(name)) set.classNames.push(name)
    }
  })
  const images = new Map<number, ImportedImage>()
  document.images.forEach((image: unknown, index) => {
    if (!isObject(image) || !isId(image.id) || typeof image.file_name !== 'string' || image.file_name.trim() === '') {
      problems.add(source, `images[${index}]`, { key: 'importProblem.cocoImageInvalid' })
      return
    }
    if (images.has(image.id)) {
      problems.add(source, `image ${image.id}`, { key: 'importProblem.cocoImageIdTwice' })
      return
    }
    const sized = isFiniteNumber(image.width) && isFiniteNumber(image.height) && image.width > 0 && image.height > 0
    if ((image.width !== undefined || image.height !== undefined) && !sized) {
      problems.add(source, `image ${image.id}`, { key: 'importProblem.cocoImageSizeInvalid' })
      return
    }
    const entry: ImportedImage = { references: [toForwardSlashes(image.file_name)], boxes: [], source }
    if (sized) entry.size = { width: image.width as number, height: image.height as number }
    images.set(image.id, entry)
  })
  const annotationIds = new Set<number>()
  document.annotations.forEach((annotation: unknown, index) => {
    const where = isObject(annotation) && isId(annotation.id) ? `annotation ${annotation.id}` : `annotations[${index}]`
    if (!isObject(annotation)) return problems.add(source, where, { key: 'importProblem.cocoAnnotationNotObject' })
    if (isId(annotation.id)) {
      if (annotationIds.has(annotation.id)) return problems.add(source, where, { key: 'importProblem.cocoAnnotationIdTwice' })
      annotationIds.add(annotation.id)
    }
    const image = isId(annotation.image_id) ? images.get(annotation.image_id) : undefined
    if (!image) return problems.add(source, where, { key: 'importProblem.cocoUnknownImage', values: { id: JSON.stringify(annotation.image_id) } })
    const className = isId(annotation.category_id) ? categories.get(annotation.category_id) : undefined
    if (className === undefined) return problems.add(source, where, { key: 'importProblem.cocoUnknownCategory', values: { id: JSON.stringify(annotation.category_id) } })
    if (annotation.iscrowd === 1) return problems.add(source, where, { key: 'importProblem.cocoCrowd' })
    const bbox = annotation.bbox
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(isFiniteNumber)) {
      return problems.add(source, where, { key: 'importProblem.cocoBboxInvalid' })
    }
    const [x, y, width, height] = bbox as [number, number, number, number]
    if (width <= 0 || height <= 0) return problems.add(source, where, { key: width <= 0 ? 'importProblem.cocoNoWidth' : 'importProblem.cocoNoHeight' })
    image.boxes.push({ className, kind: 'pixels', box: [x, y, x + width, y + height] })
  })
  set.images.push(...images.values())
}
