/**
 * Reads Pascal VOC XML (a folder with `Annotations/`, a folder of `.xml` files, or one file).
 * Boxes use VOC's 1-based inclusive pixel indices: xmin..xmax covers the pixel edges
 * xmin-1..xmax. `classes.txt` beside `Annotations/` gives the class order when present.
 * Files with a DTD or entities are refused (see xml-safety.ts); objects with missing or
 * malformed boxes are reported and left out.
 */
import { stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { posix } from 'node:path'
import { AppError } from '../../errors'
import { ProblemLog, readEachFile, type ImportedImage, type ImportedLabelSet, type LabelReadOptions } from '../label-set'
import { isFolder, listFiles, MAX_TEXT_BYTES, MAX_XML_BYTES, parseClassList, readLimitedText, readOptionalText, relativeSource, toForwardSlashes } from './read-input'
import { decodeXmlText, parseUntrustedXml } from './xml-safety'

const exists = (path: string) => stat(path).then(() => true, () => false)

export async function readVocLabels(input: string, options: LabelReadOptions = {}): Promise<ImportedLabelSet> {
  const set: ImportedLabelSet = { classNames: [], images: [], problems: new ProblemLog() }
  let root = dirname(input)
  let annotations = input
  let files = [input]
  if (await isFolder(input)) {
    root = input
    annotations = (await exists(join(input, 'Annotations'))) ? join(input, 'Annotations') : input
    files = await listFiles(annotations, ['.xml'], (file, reason) => set.problems.add(relativeSource(root, file), undefined, reason))
    if (files.length === 0) throw new AppError('invalid-argument', { key: 'importRefused.noVocFile', values: { folder: input } })
    const classList = await readOptionalText(join(root, 'classes.txt'), MAX_TEXT_BYTES, 'class list')
    if (classList !== null) set.classNames = parseClassList(classList)
  }
  await readEachFile(files, options, async (file) => {
    const source = relativeSource(root, file)
    const folderInAnnotations = toForwardSlashes(posix.dirname(relativeSource(annotations, file)))
    const text = await readLimitedText(file, MAX_XML_BYTES, 'Pascal VOC XML')
    const image = readVocDocument(parseUntrustedXml(text, source, ['object']), source, folderInAnnotations === '.' ? '' : folderInAnnotations, set)
    if (image) set.images.push(image)
  })
  return set
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? decodeXmlText(value) : typeof value === 'number' ? String(value) : undefined)
/** VOC values are integers, but some tools write decimals; both are read, anything else is NaN. */
const numberOf = (value: unknown): number => {
  const raw = text(value)
  return raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw)
}
const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined)

export function readVocDocument(document: Record<string, unknown>, source: string, folder: string, set: ImportedLabelSet): ImportedImage | undefined {
  const annotation = document.annotation
  if (typeof annotation !== 'object' || annotation === null) {
    set.problems.add(source, undefined, { key: 'importProblem.vocNotVoc' })
    return undefined
  }
  const fileName = text(field(annotation, 'filename'))
  if (!fileName) {
    set.problems.add(source, undefined, { key: 'importProblem.vocNoFilename' })
    return undefined
  }
  const references: string[] = []
  const path = text(field(annotation, 'path'))
  if (path && !path.startsWith('/') && !/^[A-Za-z]:/.test(path) && !path.split(/[\\/]/).includes('..')) references.push(toForwardSlashes(path))
  references.push(folder === '' ? fileName : `${folder}/${fileName}`)
  if (path && !references.includes(path)) references.push(toForwardSlashes(path))
  references.push(fileName)
  const image: ImportedImage = { references: [...new Set(references)], boxes: [], source }
  const size = field(annotation, 'size')
  const width = numberOf(field(size, 'width'))
  const height = numberOf(field(size, 'height'))
  if (width > 0 && height > 0) image.size = { width, height }
  const objects = field(annotation, 'object')
  ;(Array.isArray(objects) ? objects : []).forEach((object: unknown, index) => {
    const item = `object ${index + 1}`
    const name = text(field(object, 'name'))?.trim()
    if (!name) return set.problems.add(source, item, { key: 'importProblem.vocNoName' })
    const bndbox = field(object, 'bndbox')
    const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((key) => numberOf(field(bndbox, key))) as [number, number, number, number]
    if (![xmin, ymin, xmax, ymax].every(Number.isFinite)) return set.problems.add(source, item, { key: 'importProblem.vocBndboxInvalid' })
    if (xmax < xmin || ymax < ymin) return set.problems.add(source, item, { key: 'importProblem.vocNegativeSize' })
    if (!set.classNames.includes(name)) set.classNames.push(name)
    image.boxes.push({ className: name, kind: 'pixels', box: [xmin - 1, ymin - 1, xmax, ymax] })
  })
  return image
}
