/**
 * What every format's writer offers the export job. A writer is told the export's classes
 * and splits up front, receives images one at a time (so an export of any size streams), and
 * writes its index files (data.yaml, image sets, the COCO image list) on `finish`.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExportClass, ExportImage, ExportImageMode } from '../label-set'
import { openFileSink, type TextSink } from '../text-sink'

export interface LabelWriterContext {
  /** The files being written, in a temporary folder renamed to `finalFolder` when complete. */
  files: ExportFiles
  /** Where the export will be once complete (files that name an absolute location use this). */
  finalFolder: string
  /** The project's classes being exported, in the project's order, with the names to write. */
  classes: readonly ExportClass[]
  /** Split names, or null when the export is not split. */
  splits: readonly string[] | null
  imageMode: ExportImageMode
  /** The project's name, for the files' descriptions. */
  projectName: string
}

export interface LabelWriter {
  /** Where this format keeps the image file inside the export (forward slashes), when images are copied or linked. */
  imagePathInExport(image: ExportImage): string
  addImage(image: ExportImage): Promise<void>
  /** Whether this format can state an image without labels (a negative); CSV cannot. */
  readonly writesNegatives: boolean
  finish(): Promise<void>
}

/**
 * The files of one export, inside its temporary folder: creates parent folders once each,
 * writes small files and streams, and counts every file it leaves behind, so the export can
 * check the folder holds exactly what was written before it renames it into place.
 *
 * Folders are made one level at a time below the root, never with a recursive mkdir: that
 * would recreate the root itself if it (or its parent) was moved or removed mid-export, and
 * the export would go on writing into a new, partial folder and report success (issue 20).
 */
export class ExportFiles {
  private readonly madeFolders = new Set<string>()
  private readonly openSinks = new Set<TextSink>()
  private written = 0

  constructor(readonly root: string) {}

  /** Files written so far and still there. */
  get fileCount(): number {
    return this.written
  }

  absolute(relativePath: string): string {
    return join(this.root, ...relativePath.split('/'))
  }

  /** Makes the folders above `relativePath` inside the root; returns its absolute path. */
  async ensureParent(relativePath: string): Promise<string> {
    const segments = relativePath.split('/').slice(0, -1)
    let folder = this.root
    for (const segment of segments) {
      folder = join(folder, segment)
      if (this.madeFolders.has(folder)) continue
      await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error
      })
      this.madeFolders.add(folder)
    }
    return this.absolute(relativePath)
  }

  async write(relativePath: string, text: string): Promise<void> {
    await writeFile(await this.ensureParent(relativePath), text)
    this.written++
  }

  /** A streamed file, counted once committed under its name. */
  async openSink(relativePath: string): Promise<TextSink> {
    const sink = await openFileSink(await this.ensureParent(relativePath))
    this.openSinks.add(sink)
    return {
      write: (text) => sink.write(text),
      commit: async () => {
        this.openSinks.delete(sink)
        await sink.commit()
        this.written++
      },
      discard: async () => {
        this.openSinks.delete(sink)
        await sink.discard()
      },
    }
  }

  /** Closes the streams of a failed or cancelled export, whose folder is about to be removed. */
  async discardOpenSinks(): Promise<void> {
    const sinks = [...this.openSinks]
    this.openSinks.clear()
    for (const sink of sinks) await sink.discard().catch(() => undefined)
  }

  /** Counts a file put in place by other means (a copied or linked image). */
  recordFile(): void {
    this.written++
  }

  /** Removes a written file that was only a step (COCO's image list). */
  async remove(relativePath: string): Promise<void> {
    await rm(this.absolute(relativePath))
    this.written--
  }
}

/** `classes.txt`: the class names in order, one a line (YOLO's and many tools' class list). */
export function classListText(classes: readonly ExportClass[]): string {
  return classes.map((entry) => `${entry.name}\n`).join('')
}

/** A coordinate with at most `digits` decimals and no trailing zeros. */
export function formatNumber(value: number, digits: number): string {
  const factor = 10 ** digits
  const rounded = Math.round(value * factor) / factor
  return String(Object.is(rounded, -0) ? 0 : rounded)
}
