/**
 * The neutral form labels take between the project and a file format: images (path and
 * displayed size), classes (in the project's order) and boxes ([x1, y1, x2, y2] pixels of the
 * displayed, EXIF-oriented frame, see src-shared/geometry/box.ts). Every writer consumes it and
 * every reader produces its import-side counterpart, so a format module knows nothing of SQLite.
 */
import type { Box } from '../../../src-shared/geometry/box'
import { inEnglish, type Said } from '../../../src-shared/messages/said'

export const EXPORT_FORMATS = ['coco', 'yolo', 'voc', 'labelme', 'csv'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]
export const IMPORT_FORMATS = ['coco', 'yolo', 'voc', 'labelme'] as const
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/** How exported images are provided beside the labels. */
export type ExportImageMode = 'copy' | 'link' | 'none'

/** A class as exported: the project's stable id and the name written (possibly renamed). */
export interface ExportClass {
  id: number
  name: string
}

export interface ExportBox {
  classId: number
  box: Box
}

/** One image on its way out, with everything a writer needs to place and describe it. */
export interface ExportImage {
  /** The project's image id. */
  id: number
  /** Relative to the project's image folder, forward slashes. */
  relativePath: string
  /** Displayed (EXIF-oriented) size: the frame of every box. */
  width: number
  height: number
  boxes: ExportBox[]
  /** The split it falls in, or null when the export is not split. */
  split: string | null
  /**
   * The path without extension, unique among the project's images even where two files in one
   * folder share a stem (then the extension is kept, `a_png`). Formats with one label file per
   * image name it after this.
   */
  stem: string
  /** The image's extension including the dot (`.jpg`), as in the project. */
  extension: string
  /** Absolute path of the original image file. */
  absolutePath: string
}

/** One label set entry read from a file, not yet matched to a project image. */
export interface ImportedImage {
  /** Ways the file names the image, most specific first (relative path, then others). */
  references: string[]
  /** Size the file states, when it states one; boxes are in this frame. */
  size?: { width: number; height: number }
  boxes: ImportedBox[]
  /** The file the labels came from, relative to what was imported. */
  source: string
}

export type ImportedBox =
  | { className: string; kind: 'pixels'; box: Box }
  /** YOLO's centre and size, normalized to the image. */
  | { className: string; kind: 'normalized'; cxcywh: [number, number, number, number] }

/** An item that could not be read as it stands: reported, and left out of the import. */
export interface ImportProblem {
  source: string
  /** What inside the file (an annotation id, a line number, an object index). */
  item?: string
  /** In English; `said` has the key and values to word it in another language. */
  message: string
  said?: Said
}

/** Problems found while reading and planning; the first MAX_LISTED_PROBLEMS are kept, all are counted. */
export class ProblemLog {
  static readonly MAX_LISTED_PROBLEMS = 1000
  readonly items: ImportProblem[] = []
  count = 0

  add(source: string, item: string | undefined, message: string | Said): void {
    this.count++
    if (this.items.length >= ProblemLog.MAX_LISTED_PROBLEMS) return
    const words = typeof message === 'string' ? { message } : { message: inEnglish(message), said: message }
    this.items.push(item === undefined ? { source, ...words } : { source, item, ...words })
  }
}

/** How a reader reports the files it has read, and is stopped between files. */
export interface LabelReadOptions {
  signal?: AbortSignal
  /** After each label file read: how many of how many. */
  onProgress?: (filesRead: number, filesTotal: number) => void
}

/** Reads `files` one after another through `read`, reporting progress and stopping when asked. */
export async function readEachFile(files: readonly string[], options: LabelReadOptions, read: (file: string) => Promise<void>): Promise<void> {
  for (const [index, file] of files.entries()) {
    options.signal?.throwIfAborted()
    await read(file)
    options.onProgress?.(index + 1, files.length)
  }
}

export interface ImportedLabelSet {
  /** Class names in the file's order, including classes no box uses. */
  classNames: string[]
  images: ImportedImage[]
  problems: ProblemLog
}
