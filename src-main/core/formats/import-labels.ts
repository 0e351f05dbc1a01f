/**
 * Importing labels: read the files (a format's reader), plan (match each entry to a project
 * image, map classes by name, convert and check each box against the image's displayed frame)
 * and show the plan; only then write it, in one transaction and one undo step. Reading and
 * planning change nothing, so a refused or abandoned import leaves the project as it was.
 */
import { classNameProblem, quotedClassName } from '../../../src-shared/api/class-name'
import { clipBox, fromNormalizedCxcywh, MIN_LABEL_SIZE, type Box } from '../../../src-shared/geometry/box'
import type { SqliteDatabase } from '../db/connection'
import { findClassIdsByName, listImportTargets, writeLabelImport, type LabelImportEntry, type LabelImportWriteResult } from '../db/label-import-writer'
import { AppError } from '../errors'
import { requireAbsolutePath } from '../user-paths'
import { ImageMatcher } from './image-matcher'
import type { ImportedLabelSet, ImportFormat, ImportProblem, LabelReadOptions } from './label-set'
import { readCocoLabels } from './readers/coco-label-reader'
import { readLabelMeLabels } from './readers/labelme-reader'
import { readVocLabels } from './readers/voc-reader'
import { readYoloLabels } from './readers/yolo-reader'

export interface LabelImportOptions {
  mode: 'add' | 'replace'
  markReviewed: boolean
  addClasses: boolean
}

export interface LabelImportPlan {
  entries: LabelImportEntry[]
  imagesInFile: number
  imagesMatched: number
  labels: number
  /** Boxes partly outside their image, clipped to it. */
  boxesClipped: number
  /** Boxes narrower or lower than the smallest label (MIN_LABEL_SIZE), left out and named in problems. */
  boxesTooSmall: number
  /** Boxes whose class name breaks the class-name rule, left out and named in problems. */
  boxesWithInvalidClass: number
  /** Class names the project lacks (created only with addClasses). */
  newClasses: string[]
  /** Replace mode: matched images a person touched, which keep their labels. */
  imagesKeptTouched: number
  problems: ImportProblem[]
  problemCount: number
}

export function readLabelSet(format: ImportFormat, input: string, options: LabelReadOptions = {}): Promise<ImportedLabelSet> {
  requireAbsolutePath(input, 'The file or folder to import')
  switch (format) {
    case 'coco':
      return readCocoLabels(input, options)
    case 'yolo':
      return readYoloLabels(input, options)
    case 'voc':
      return readVocLabels(input, options)
    case 'labelme':
      return readLabelMeLabels(input, options)
  }
}

const sameSize = (a: { width: number; height: number }, b: { width: number; height: number }) => a.width === b.width && a.height === b.height

export function planLabelImport(db: SqliteDatabase, imageRoot: string, set: ImportedLabelSet, options: LabelImportOptions): LabelImportPlan {
  const { problems } = set
  const matcher = new ImageMatcher(listImportTargets(db), imageRoot)
  const entries = new Map<number, LabelImportEntry>()
  const touchedIds = new Set<number>()
  let boxesClipped = 0
  let boxesTooSmall = 0
  let boxesWithInvalidClass = 0
  for (const imported of set.images) {
    const match = matcher.match(imported.references)
    if ('problem' in match) {
      problems.add(imported.source, imported.references[0], { key: match.problem.key, values: { ...match.problem.values, boxes: imported.boxes.length } })
      continue
    }
    const { image } = match
    if (imported.size && !sameSize(imported.size, image)) {
      const stored = imported.size.width === image.height && imported.size.height === image.width
      problems.add(imported.source, imported.references[0], {
        key: stored ? 'importProblem.sizeDiffersRotated' : 'importProblem.sizeDiffers',
        values: { fileWidth: imported.size.width, fileHeight: imported.size.height, image: image.relativePath, width: image.width, height: image.height },
      })
      continue
    }
    const entry = entries.get(image.id) ?? { imageId: image.id, boxes: [], source: imported.source }
    entries.set(image.id, entry)
    if (image.touched) touchedIds.add(image.id)
    imported.boxes.forEach((importedBox, index) => {
      const where = `box ${index + 1} of ${image.relativePath}`
      const nameProblem = classNameProblem(importedBox.className)
      if (nameProblem) {
        boxesWithInvalidClass++
        problems.add(imported.source, where, `its class ${quotedClassName(importedBox.className)} cannot be a class name (${nameProblem}); left out`)
        return
      }
      const box: Box = importedBox.kind === 'pixels' ? importedBox.box : fromNormalizedCxcywh(importedBox.cxcywh, image)
      const clipped = clipBox(box, image)
      if (clipped[2] - clipped[0] <= 0 || clipped[3] - clipped[1] <= 0) {
        problems.add(imported.source, where, { key: 'importProblem.boxOutside' })
        return
      }
      // The same smallest label the editor and label derivation keep: a 1e-7 px box is no label.
      if (clipped[2] - clipped[0] < MIN_LABEL_SIZE || clipped[3] - clipped[1] < MIN_LABEL_SIZE) {
        boxesTooSmall++
        problems.add(imported.source, where, { key: 'importProblem.boxTooSmall', values: { size: describeSize(clipped), min: MIN_LABEL_SIZE } })
        return
      }
      if (clipped.some((value, at) => value !== box[at])) boxesClipped++
      entry.boxes.push({ className: importedBox.className.trim(), box: clipped })
    })
  }
  const known = findClassIdsByName(db)
  const used = new Set([...entries.values()].flatMap((entry) => entry.boxes.map((box) => box.className)))
  // Classes the file lists are created too (in its order) when new ones are allowed, so empty classes survive a round trip.
  const listedClasses = set.classNames.flatMap((name) => {
    const problem = classNameProblem(name)
    if (!problem) return [name.trim()]
    problems.add('class list', `class ${quotedClassName(name)}`, `${problem}; not created`)
    return []
  })
  const newClasses = [...listedClasses, ...used].filter((name, index, all) => !known.has(name) && all.indexOf(name) === index)
  const list = [...entries.values()]
  return {
    entries: list,
    imagesInFile: set.images.length,
    imagesMatched: list.length,
    labels: list.reduce((sum, entry) => sum + entry.boxes.length, 0),
    boxesClipped,
    boxesTooSmall,
    boxesWithInvalidClass,
    newClasses: newClasses.filter((name) => used.has(name) || options.addClasses),
    imagesKeptTouched: options.mode === 'replace' ? touchedIds.size : 0,
    problems: problems.items,
    problemCount: problems.count,
  }
}

export interface LabelImportResult extends LabelImportWriteResult {
  plan: LabelImportPlan
}

/** Writes a plan. New classes need `addClasses`; otherwise the import is refused and nothing is written. */
export function applyLabelImport(db: SqliteDatabase, plan: LabelImportPlan, options: LabelImportOptions, now = new Date().toISOString()): LabelImportResult {
  const missing = plan.newClasses
  if (missing.length > 0 && !options.addClasses) {
    throw new AppError('invalid-argument', { key: 'importRefused.newClasses', values: { names: missing.map((name) => `"${name}"`).join(', ') } })
  }
  const written = writeLabelImport(db, plan.entries, { ...options, now, classOrder: plan.newClasses })
  return { ...written, plan }
}

function describeSize(box: Box): string {
  const format = (value: number) => (value >= 0.01 ? String(Math.round(value * 100) / 100) : value.toExponential(1))
  return `${format(box[2] - box[0])}×${format(box[3] - box[1])}`
}
