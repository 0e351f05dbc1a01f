/**
 * What every format's writer offers the export job. A writer is told the export's classes
 * and splits up front, receives images one at a time (so an export of any size streams), and
 * writes its index files (data.yaml, image sets, the COCO image list) on `finish`.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { ExportClass, ExportImage, ExportImageMode } from '../label-set'

export interface LabelWriterContext {
  /** The folder being written: a temporary one, renamed to `finalFolder` when complete. */
  folder: string
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

/** Creates parent folders once each and writes a small file. */
export class ExportFiles {
  private readonly madeFolders = new Set<string>()

  constructor(readonly root: string) {}

  absolute(relativePath: string): string {
    return join(this.root, ...relativePath.split('/'))
  }

  async ensureParent(relativePath: string): Promise<string> {
    const absolute = this.absolute(relativePath)
    const parent = dirname(absolute)
    if (!this.madeFolders.has(parent)) {
      await mkdir(parent, { recursive: true })
      this.madeFolders.add(parent)
    }
    return absolute
  }

  async write(relativePath: string, text: string): Promise<void> {
    await writeFile(await this.ensureParent(relativePath), text)
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
