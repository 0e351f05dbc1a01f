/**
 * Reads YOLO labels: a dataset folder (or its data.yaml) in the Ultralytics layout, where
 * `data.yaml` names the classes and the image folders of each split and the label folders are
 * found by replacing `images` with `labels`; or a folder with `classes.txt` and a `labels/`
 * folder (or the label files themselves). A line is `class cx cy w h`, normalized to the
 * image; lines that are malformed, name an unknown class index or are polygons are reported
 * by line and left out. Label files are matched to images by their path without extension.
 */
import { realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { AppError } from '../../errors'
import { ProblemLog, readEachFile, type ImportedLabelSet, type LabelReadOptions } from '../label-set'
import { listFiles, MAX_TEXT_BYTES, parseClassList, readLimitedText, relativeSource } from './read-input'

const exists = (path: string) => stat(path).then(() => true, () => false)

interface YoloLayout {
  root: string
  classNames: string[]
  /** Folders of label files; labels are matched by their path relative to these. */
  labelFolders: string[]
  /** Folders data.yaml names outside the dataset's folder: never read, named in the problems. */
  outsideFolders: Array<{ key: string; folder: string }>
}

export async function readYoloLabels(input: string, options: LabelReadOptions = {}): Promise<ImportedLabelSet> {
  const layout = await findLayout(input)
  const set: ImportedLabelSet = { classNames: layout.classNames, images: [], problems: new ProblemLog() }
  for (const { key, folder } of layout.outsideFolders) {
    set.problems.add('data.yaml', key, `${folder} is outside the dataset's folder ${layout.root}; a dataset file may only name folders inside it, so it was not read`)
  }
  // Every label file first, so progress knows the total; a file two split folders share is read once.
  const labelFileFolders = new Map<string, string>()
  for (const folder of layout.labelFolders) {
    for (const file of await listFiles(folder, ['.txt'], (file, reason) => set.problems.add(relativeSource(layout.root, file), undefined, reason))) {
      if (!labelFileFolders.has(file) && basename(file) !== 'classes.txt') labelFileFolders.set(file, folder)
    }
  }
  await readEachFile([...labelFileFolders.keys()], options, async (file) => {
    const source = relativeSource(layout.root, file)
    const stem = relativeSource(labelFileFolders.get(file)!, file).replace(/\.txt$/i, '')
    readYoloLines(await readLimitedText(file, MAX_TEXT_BYTES, 'YOLO label'), source, stem, set)
  })
  return set
}

export function readYoloLines(text: string, source: string, stem: string, set: ImportedLabelSet): void {
  const image = { references: [stem], boxes: [] as ImportedLabelSet['images'][number]['boxes'], source }
  text.split(/\r?\n/).forEach((line, index) => {
    const item = `line ${index + 1}`
    const fields = line.trim().split(/\s+/)
    if (line.trim() === '') return
    if (fields.length > 6) return set.problems.add(source, item, { key: 'importProblem.yoloPolygon' })
    if (fields.length < 5) return set.problems.add(source, item, { key: 'importProblem.yoloFields' })
    const classIndex = Number(fields[0])
    const values = fields.slice(1, 5).map(Number) as [number, number, number, number]
    if (!Number.isInteger(classIndex) || classIndex < 0) return set.problems.add(source, item, { key: 'importProblem.yoloNotClassIndex', values: { value: fields[0]! } })
    const className = set.classNames[classIndex]
    if (className === undefined) return set.problems.add(source, item, { key: 'importProblem.yoloUnknownClass', values: { index: classIndex, count: set.classNames.length } })
    if (!values.every(Number.isFinite)) return set.problems.add(source, item, { key: 'importProblem.yoloNotFinite' })
    if (values[2] <= 0 || values[3] <= 0) return set.problems.add(source, item, { key: 'importProblem.yoloNoSize' })
    image.boxes.push({ className, kind: 'normalized', cxcywh: values })
  })
  set.images.push(image)
}

/** data.yaml `names`: a list, or a map from index to name. */
function namesOf(names: unknown, file: string): string[] {
  if (Array.isArray(names) && names.every((name) => typeof name === 'string' || typeof name === 'number')) return names.map((name) => String(name).trim())
  if (typeof names === 'object' && names !== null) {
    const entries = Object.entries(names as Record<string, unknown>)
    const list: string[] = []
    for (const [key, name] of entries) {
      const index = Number(key)
      if (!Number.isInteger(index) || index < 0 || index >= entries.length || (typeof name !== 'string' && typeof name !== 'number')) break
      list[index] = String(name).trim()
    }
    if (list.length === entries.length && list.every((name) => name !== undefined && name !== '')) return list
  }
  throw new AppError('invalid-argument', { key: 'importRefused.yoloNames', values: { file } })
}

async function findLayout(input: string): Promise<YoloLayout> {
  const inputIsFile = (await stat(input).catch(() => null))?.isFile() ?? false
  if (!inputIsFile && !(await exists(input))) throw new AppError('not-found', { key: 'importRefused.nothingAt', values: { path: input } })
  const yamlFile = inputIsFile ? input : join(input, 'data.yaml')
  const root = inputIsFile ? dirname(input) : input
  if (await exists(yamlFile)) {
    let data: unknown
    try {
      data = parseYaml(await readLimitedText(yamlFile, 1024 * 1024, 'YAML'), { maxAliasCount: 100 })
    } catch (error) {
      if (error instanceof AppError) throw error
      throw new AppError('invalid-argument', { key: 'importRefused.invalidYaml', values: { file: yamlFile, reason: (error as Error).message } })
    }
    if (typeof data !== 'object' || data === null) throw new AppError('invalid-argument', { key: 'importRefused.notYoloData', values: { file: yamlFile } })
    const record = data as Record<string, unknown>
    // Ultralytics resolves the split folders against `path`; a dataset that was moved still has
    // its folders beside data.yaml, so a `path` that does not exist falls back to that.
    const declared = typeof record.path === 'string' && record.path.trim() !== '' ? resolve(root, record.path) : root
    const labelFolders: string[] = []
    const outsideFolders: YoloLayout['outsideFolders'] = []
    const declaredExists = await exists(declared)
    if (declaredExists && !(await isInside(root, declared))) outsideFolders.push({ key: 'path', folder: declared })
    const base = declaredExists && (await isInside(root, declared)) ? declared : root
    for (const key of ['train', 'val', 'test']) {
      const value = record[key]
      for (const entry of Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]) {
        if (typeof entry !== 'string' || entry.endsWith('.txt')) continue
        const imageFolder = isAbsolute(entry) ? entry : resolve(base, entry)
        // Ultralytics: the label folder is the image folder with its last /images/ segment replaced by /labels/.
        const segments = imageFolder.split(/[\\/]/)
        const at = segments.lastIndexOf('images')
        const labelFolder = at >= 0 ? [...segments.slice(0, at), 'labels', ...segments.slice(at + 1)].join('/') : imageFolder
        if (!(await exists(labelFolder)) || labelFolders.includes(labelFolder)) continue
        // A shared dataset file must not make the import read (and quote) files elsewhere on the machine.
        if (await isInside(root, labelFolder)) labelFolders.push(labelFolder)
        else outsideFolders.push({ key, folder: labelFolder })
      }
    }
    if (labelFolders.length === 0 && (await exists(join(base, 'labels')))) labelFolders.push(join(base, 'labels'))
    return { root, classNames: namesOf(record.names, yamlFile), labelFolders, outsideFolders }
  }
  const classList = join(root, 'classes.txt')
  if (!(await exists(classList))) {
    throw new AppError('invalid-argument', { key: 'importRefused.yoloNoClassNames', values: { folder: input } })
  }
  const labels = join(root, 'labels')
  return {
    root,
    classNames: parseClassList(await readLimitedText(classList, MAX_TEXT_BYTES, 'class list')),
    labelFolders: [(await exists(labels)) ? labels : root],
    outsideFolders: [],
  }
}

/** Whether `path` is `folder` or inside it once links are resolved on both. */
async function isInside(folder: string, path: string): Promise<boolean> {
  const [realFolder, realPath] = await Promise.all([realpath(folder), realpath(path)]).catch(() => [null, null])
  if (realFolder === null || realPath === null) return false
  const inside = relative(realFolder, realPath)
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))
}
