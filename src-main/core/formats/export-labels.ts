/**
 * Exports the project's labels in one format: the selected images are streamed a page at a
 * time from the project file through the format's writer into a temporary folder beside the
 * destination, which is renamed into place only when complete and only when it holds exactly
 * the files written. An existing non-empty folder is never overwritten; a cancelled or failed
 * export leaves nothing behind, and one whose folder was moved or removed meanwhile fails.
 */
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { LabelExportResult } from '../../../src-shared/api/transfer-types'
import type { SqliteDatabase } from '../db/connection'
import { rememberExportFolder } from '../db/export-folders-repository'
import {
  countExport,
  countExportImages,
  iterateExportPages,
  iterateImagePaths,
  listExportClasses,
  type LabelExportImage,
  type LabelExportSelection,
} from '../db/label-export-query'
import { AppError } from '../errors'
import { resolveImagePath, resolveServableImage } from '../projects/project-paths'
import { requireAbsolutePath } from '../user-paths'
import { provideImageFile, readOrientation } from './export-image-files'
import { collidingStems, exportStem, splitExtension } from './export-paths'
import { claimTemporaryFolder, releaseTemporaryFolder, removeStaleTemporaryFolders } from './export-temporary-folder'
import type { ExportClass, ExportFormat, ExportImage, ExportImageMode } from './label-set'
import { splitOf, type SplitPart } from './split'
import { createCocoLabelWriter } from './writers/coco-label-writer'
import { createCsvWriter } from './writers/csv-writer'
import { ExportFiles, type LabelWriter, type LabelWriterContext } from './writers/label-writer'
import { createLabelMeWriter } from './writers/labelme-writer'
import { createVocWriter } from './writers/voc-writer'
import { createYoloWriter } from './writers/yolo-writer'

export interface ExportProject {
  db: SqliteDatabase
  imageRoot: string
  name: string
}

export interface LabelExportOptions {
  format: ExportFormat
  /** The destination folder: absent or empty. */
  out: string
  /** Every image with labels instead of reviewed images only. */
  allImages: boolean
  /** Every chosen image without labels as a negative (by default only reviewed ones). */
  includeEmpty: boolean
  /** Reviewed images without labels as negatives (default true). */
  reviewedNegatives?: boolean
  split?: readonly SplitPart[]
  /** Default: defaultImageMode(format). */
  images?: ExportImageMode
  /** A subset of classes, in the order to export them, each optionally renamed. */
  classes?: ReadonlyArray<{ name: string; exportAs?: string }>
}

export interface LabelExportCallbacks {
  signal?: AbortSignal
  onProgress?(done: number, total: number): void
  /**
   * Called after an image's labels are written and before its file is copied or linked (with
   * the image's path in the project): the instant a destination that disappears is hardest to
   * notice, so tests move the destination here.
   */
  onLabelsWritten?(relativePath: string): void
  /**
   * Records the folder the export is about to write into, before anything is written there, so
   * that opening the project removes what a killed export leaves (see rememberExportFolder).
   * The API queues it with the project's other writes; by default it is written at once.
   */
  rememberFolder?(folder: string): Promise<void> | void
}

/** Listed paths are cut off here; the counts stay exact. */
const LISTED_PATHS = 100

/**
 * What an export does with the image files when not told: YOLO links them, because Ultralytics
 * finds each label file from its image's path (`/images/` → `/labels/`), so a YOLO export
 * without `images/` does not train; the other formats name the images where they are.
 */
export function defaultImageMode(format: ExportFormat): ExportImageMode {
  return format === 'yolo' ? 'link' : 'none'
}

export const YOLO_WITHOUT_IMAGES_NOTE =
  'The images were left where they are, so data.yaml names no image folders: Ultralytics finds labels from image paths ' +
  '(images/ beside labels/). Export with --images link or copy to train on it as it is.'

export const ORIENTATION_NOTE =
  'These files carry an EXIF orientation tag, and readers disagree about it (OpenCV and Ultralytics apply it, PIL and many ' +
  'training scripts do not). The exported boxes are in the displayed (rotated) frame; a reader that ignores the tag will see ' +
  'the boxes in the wrong place. Export with --images copy to get upright copies without the tag.'

function createWriter(format: ExportFormat, context: LabelWriterContext): LabelWriter {
  switch (format) {
    case 'coco':
      return createCocoLabelWriter(context)
    case 'yolo':
      return createYoloWriter(context)
    case 'voc':
      return createVocWriter(context)
    case 'labelme':
      return createLabelMeWriter(context)
    case 'csv':
      return createCsvWriter(context)
  }
}

/** The classes to export: all, or the requested subset in the requested order and names. */
export function chooseExportClasses(db: SqliteDatabase, requested: LabelExportOptions['classes']): ExportClass[] {
  const all = listExportClasses(db)
  if (!requested) return all
  const byName = new Map(all.map((entry) => [entry.name, entry]))
  const chosen = requested.map(({ name, exportAs }) => {
    const found = byName.get(name)
    if (!found) throw new AppError('invalid-argument', `The project has no class named "${name}"; its classes are ${all.map((entry) => `"${entry.name}"`).join(', ') || 'none'}.`)
    return { id: found.id, name: (exportAs ?? name).trim() }
  })
  const names = chosen.map((entry) => entry.name)
  const ids = chosen.map((entry) => entry.id)
  if (names.some((name) => name === '')) throw new AppError('invalid-argument', { key: 'export.emptyClassName' })
  if (new Set(names).size !== names.length || new Set(ids).size !== ids.length) {
    throw new AppError('invalid-argument', { key: 'export.classTwice' })
  }
  return chosen
}

async function prepareDestination(out: string, rememberFolder: (folder: string) => Promise<void> | void): Promise<{ final: string; temporary: string }> {
  requireAbsolutePath(out, 'The export folder')
  const final = resolve(out)
  const existing = await readdir(final).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    if (error.code === 'ENOTDIR') throw new AppError('conflict', { key: 'export.isAFile', values: { path: notAFolderPart(final) } })
    throw error
  })
  if (existing && existing.length > 0) {
    throw new AppError('conflict', { key: 'export.notEmpty', values: { folder: final } })
  }
  await mkdir(dirname(final), { recursive: true })
  await rememberFolder(dirname(final))
  await removeStaleTemporaryFolders(dirname(final))
  const temporary = claimTemporaryFolder(final)
  try {
    await mkdir(temporary)
  } catch (error) {
    releaseTemporaryFolder(temporary)
    throw error
  }
  return { final, temporary }
}

/** The part of `path` that exists and is not a folder (ENOTDIR names the whole path). */
function notAFolderPart(path: string): string {
  let part = path
  while (dirname(part) !== part && !existsSync(part)) part = dirname(part)
  return part
}

function folderGoneError(final: string): AppError {
  return new AppError('conflict', { key: 'export.folderGone', values: { folder: final, parent: dirname(final) } })
}

const folderExists = (folder: string) => stat(folder).then((stats) => stats.isDirectory(), () => false)

/** Files (and links) under `folder`, at any depth. */
async function countFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true })
  return entries.filter((entry) => !entry.isDirectory()).length
}

/**
 * The last check before the rename: the temporary folder is still there and holds exactly the
 * files written into it. Anything else means part of the export went somewhere else.
 */
async function requireWrittenFiles(final: string, files: ExportFiles): Promise<void> {
  if (!(await folderExists(files.root))) throw folderGoneError(final)
  const found = await countFiles(files.root)
  if (found !== files.fileCount) {
    throw new AppError('conflict', { key: 'export.filesChanged', values: { folder: final, found, written: files.fileCount } })
  }
}

/** A project file that cannot be written (read-only media) still exports; it only forgets the folder. */
function rememberExportFolderIfWritable(db: SqliteDatabase, folder: string): void {
  try {
    rememberExportFolder(db, folder, new Date().toISOString())
  } catch (error) {
    if (!db.readonly && !String((error as { code?: unknown }).code).startsWith('SQLITE_READONLY')) throw error
  }
}

export async function exportLabels(project: ExportProject, requested: LabelExportOptions, callbacks: LabelExportCallbacks = {}): Promise<LabelExportResult> {
  const started = Date.now()
  const options: ResolvedExportOptions = { ...requested, images: requested.images ?? defaultImageMode(requested.format) }
  const classes = chooseExportClasses(project.db, options.classes)
  const selection = exportSelection(options, classes)
  const rememberFolder = callbacks.rememberFolder ?? ((folder: string) => rememberExportFolderIfWritable(project.db, folder))
  const { final, temporary } = await prepareDestination(options.out, rememberFolder)
  const report: LabelExportResult = {
    state: 'done',
    format: options.format,
    folder: final,
    images: 0,
    labels: 0,
    negatives: 0,
    negativesLeftOut: 0,
    classes: classes.map((entry) => entry.name),
    imagesPerSplit: {},
    imagesRotatedUpright: 0,
    orientedImages: { count: 0, paths: [], note: null },
    imageFileProblems: { count: 0, items: [] },
    imageMode: options.images,
    trainingNote: options.format === 'yolo' && options.images === 'none' ? YOLO_WITHOUT_IMAGES_NOTE : null,
    seconds: 0,
  }
  const files = new ExportFiles(temporary)
  try {
    const context: LabelWriterContext = {
      files,
      finalFolder: final,
      classes,
      splits: options.split ? options.split.map((part) => part.name) : null,
      imageMode: options.images,
      projectName: project.name,
    }
    const writer = createWriter(options.format, context)
    const colliding = collidingStems(iterateImagePaths(project.db))
    const total = countExportImages(project.db, selection)
    let done = 0
    callbacks.onProgress?.(0, total)
    for (const page of iterateExportPages(project.db, selection)) {
      for (const record of page) {
        if (callbacks.signal?.aborted) {
          report.state = 'cancelled'
          await files.discardOpenSinks()
          await rm(temporary, { recursive: true, force: true })
          return { ...report, seconds: (Date.now() - started) / 1000 }
        }
        await exportImage(project.imageRoot, options, writer, toExportImage(project, record, colliding, options.split), record, files, report, callbacks)
        callbacks.onProgress?.(++done, total)
      }
    }
    await writer.finish()
    if (report.orientedImages.count > 0) report.orientedImages.note = ORIENTATION_NOTE
    await requireWrittenFiles(final, files)
    // rename(2) replaces an empty folder, and refuses a non-empty one that appeared meanwhile.
    await rmdir(final).catch(() => undefined)
    await rename(temporary, final).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? folderGoneError(final) : error
    })
    return { ...report, seconds: (Date.now() - started) / 1000 }
  } catch (error) {
    const gone = !(error instanceof AppError) && !(await folderExists(temporary))
    await files.discardOpenSinks()
    await rm(temporary, { recursive: true, force: true })
    throw gone ? folderGoneError(final) : error
  } finally {
    releaseTemporaryFolder(temporary)
  }
}

function toExportImage(project: ExportProject, record: LabelExportImage, colliding: ReadonlySet<string>, split: LabelExportOptions['split']): ExportImage {
  return {
    id: record.id,
    relativePath: record.relativePath,
    width: record.width,
    height: record.height,
    boxes: record.boxes,
    split: split ? splitOf(record.relativePath, split) : null,
    stem: exportStem(record.relativePath, colliding),
    extension: splitExtension(record.relativePath).extension,
    absolutePath: resolveImagePath(project.imageRoot, record.relativePath),
  }
}

type ResolvedExportOptions = LabelExportOptions & { images: ExportImageMode }

function exportSelection(options: Omit<LabelExportOptions, 'out'>, classes: readonly ExportClass[]): LabelExportSelection {
  return {
    allImages: options.allImages,
    includeEmpty: options.includeEmpty,
    reviewedNegatives: options.reviewedNegatives ?? true,
    classIds: options.classes ? classes.map((entry) => entry.id) : undefined,
  }
}

/** What an export with these options would write, said before writing anything. */
export interface LabelExportPlan {
  images: number
  labels: number
  /** Images written without labels (negatives). */
  negatives: number
  /** Images without labels the format cannot state (CSV), to be left out. */
  negativesLeftOut: number
  imageMode: ExportImageMode
  trainingNote: string | null
}

export function planExport(project: Pick<ExportProject, 'db'>, requested: Omit<LabelExportOptions, 'out'>): LabelExportPlan {
  const imageMode = requested.images ?? defaultImageMode(requested.format)
  const classes = chooseExportClasses(project.db, requested.classes)
  const counts = countExport(project.db, exportSelection(requested, classes))
  // Every format but CSV states an image without boxes (each writer's `writesNegatives`).
  const statesNegatives = requested.format !== 'csv'
  return {
    images: statesNegatives ? counts.images : counts.images - counts.negatives,
    labels: counts.labels,
    negatives: statesNegatives ? counts.negatives : 0,
    negativesLeftOut: statesNegatives ? 0 : counts.negatives,
    imageMode,
    trainingNote: requested.format === 'yolo' && imageMode === 'none' ? YOLO_WITHOUT_IMAGES_NOTE : null,
  }
}

async function exportImage(
  imageRoot: string,
  options: ResolvedExportOptions,
  writer: LabelWriter,
  image: ExportImage,
  record: LabelExportImage,
  files: ExportFiles,
  report: LabelExportResult,
  callbacks: LabelExportCallbacks,
): Promise<void> {
  if (image.boxes.length === 0 && !writer.writesNegatives) {
    report.negativesLeftOut++
    return
  }
  await writer.addImage(image)
  callbacks.onLabelsWritten?.(image.relativePath)
  report.images++
  report.labels += image.boxes.length
  if (image.boxes.length === 0) report.negatives++
  const split = image.split ?? 'all'
  report.imagesPerSplit[split] = (report.imagesPerSplit[split] ?? 0) + 1
  const problem = (message: string) => {
    report.imageFileProblems.count++
    if (report.imageFileProblems.items.length < LISTED_PATHS) report.imageFileProblems.items.push({ path: image.relativePath, message })
  }
  const oriented = () => {
    report.orientedImages.count++
    if (report.orientedImages.paths.length < LISTED_PATHS) report.orientedImages.paths.push(image.relativePath)
  }
  if (record.missing) {
    problem('the file was missing at the last rescan')
    return
  }
  // The same containment and byte check as serving: a file swapped for a link to something
  // outside the image folder, or for a non-image, is not read.
  let servable: Awaited<ReturnType<typeof resolveServableImage>>
  try {
    servable = await resolveServableImage(imageRoot, record.relativePath)
    if (options.images === 'none') {
      if ((await readOrientation(servable.path, servable.format)) !== 1) oriented()
      return
    }
  } catch (error) {
    problem((error as Error).message)
    return
  }
  // Outside the try: a folder that cannot be made inside the export is the export's failure, not the image's.
  const destination = await files.ensureParent(writer.imagePathInExport(image))
  try {
    const provided = await provideImageFile(options.images, servable.path, servable.format, destination)
    files.recordFile()
    if (provided.rotated) report.imagesRotatedUpright++
    else if (provided.orientation !== 1) oriented()
  } catch (error) {
    // The image could not be read, unless the export's own folder is what went away.
    if (!(await folderExists(files.root))) throw error
    problem((error as Error).message)
  }
}
