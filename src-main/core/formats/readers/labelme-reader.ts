/**
 * Reads LabelMe JSON (one file or a folder of them, recursively). Rectangles become boxes from
 * their two corner points in either order; other shape types are reported and left out.
 * `imagePath` is relative to the JSON file; `classes.txt` at the top gives the class order.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { boxFromCorners } from '../../../../src-shared/geometry/box'
import { AppError } from '../../errors'
import { ProblemLog, readEachFile, type ImportedImage, type ImportedLabelSet, type LabelReadOptions } from '../label-set'
import { isFiniteNumber, isFolder, listFiles, MAX_TEXT_BYTES, parseClassList, readJsonFile, readOptionalText, relativeSource, toForwardSlashes } from './read-input'

export async function readLabelMeLabels(input: string, options: LabelReadOptions = {}): Promise<ImportedLabelSet> {
  const set: ImportedLabelSet = { classNames: [], images: [], problems: new ProblemLog() }
  const folder = await isFolder(input)
  const root = folder ? input : dirname(input)
  const skipped = (file: string, reason: string) => set.problems.add(relativeSource(root, file), undefined, reason)
  const files = folder ? await listFiles(input, ['.json'], skipped) : [input]
  if (files.length === 0) throw new AppError('invalid-argument', { key: 'importRefused.noLabelmeFile', values: { folder: input } })
  const classList = await readOptionalText(join(root, 'classes.txt'), MAX_TEXT_BYTES, 'class list')
  if (classList !== null) set.classNames = parseClassList(classList)
  await readEachFile(files, options, async (file) => {
    const image = readLabelMeDocument(await readJsonFile(file, 'LabelMe JSON'), relativeSource(root, file), file, set)
    if (image) set.images.push(image)
  })
  return set
}

type Json = Record<string, unknown>
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)

export function readLabelMeDocument(document: unknown, source: string, file: string, set: ImportedLabelSet): ImportedImage | undefined {
  if (!isObject(document) || !Array.isArray(document.shapes) || typeof document.imagePath !== 'string') {
    set.problems.add(source, undefined, { key: 'importProblem.labelmeNotLabelme' })
    return undefined
  }
  const imagePath = toForwardSlashes(document.imagePath)
  const folderInInput = source.includes('/') ? source.slice(0, source.lastIndexOf('/')) : ''
  const references = [
    // The image beside the JSON (relative to what was imported), then wherever imagePath points.
    posixJoin(folderInInput, imagePath),
    isAbsolute(document.imagePath) ? document.imagePath : resolve(dirname(file), document.imagePath),
    imagePath.split('/').pop()!,
  ]
  const image: ImportedImage = { references: [...new Set(references.filter((reference) => reference !== ''))], boxes: [], source }
  if (isFiniteNumber(document.imageWidth) && isFiniteNumber(document.imageHeight) && document.imageWidth > 0 && document.imageHeight > 0) {
    image.size = { width: document.imageWidth, height: document.imageHeight }
  }
  document.shapes.forEach((shape: unknown, index) => {
    const item = `shape ${index + 1}`
    if (!isObject(shape)) return set.problems.add(source, item, { key: 'importProblem.labelmeShapeNotObject' })
    if (shape.shape_type !== 'rectangle') return set.problems.add(source, item, { key: 'importProblem.labelmeNotRectangle', values: { shape: String(shape.shape_type) } })
    const label = typeof shape.label === 'string' ? shape.label.trim() : ''
    if (label === '') return set.problems.add(source, item, { key: 'importProblem.labelmeNoLabel' })
    const points = shape.points
    const valid = Array.isArray(points) && points.length === 2 && points.every((point) => Array.isArray(point) && point.length === 2 && point.every(isFiniteNumber))
    if (!valid) return set.problems.add(source, item, { key: 'importProblem.labelmePointsInvalid' })
    const [[ax, ay], [bx, by]] = points as [[number, number], [number, number]]
    const box = boxFromCorners(ax, ay, bx, by)
    if (box[2] - box[0] <= 0 || box[3] - box[1] <= 0) return set.problems.add(source, item, { key: 'importProblem.labelmeNoArea' })
    if (!set.classNames.includes(label)) set.classNames.push(label)
    image.boxes.push({ className: label, kind: 'pixels', box })
  })
  return image
}

/** Joins and normalizes forward-slash paths; '' when the result would leave the folder. */
function posixJoin(folder: string, path: string): string {
  const parts: string[] = []
  for (const segment of `${folder}/${path}`.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      if (parts.length === 0) return ''
      parts.pop()
    } else parts.push(segment)
  }
  return parts.join('/')
}
