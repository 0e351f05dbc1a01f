/**
 * File names inside an export. Formats that write one label file per image (YOLO, VOC,
 * LabelMe) name it after the image's path without extension, keeping sub-folders, so
 * `a/x.jpg` and `b/x.jpg` never collide. Two files of one folder that differ only by extension
 * (`x.jpg`, `x.png`) would: those keep the extension in the stem (`x_jpg`, `x_png`).
 */
import { extname } from 'node:path/posix'

export function splitExtension(relativePath: string): { stem: string; extension: string } {
  const extension = extname(relativePath)
  return { stem: extension === '' ? relativePath : relativePath.slice(0, -extension.length), extension }
}

/** `x.png` → `x_png`: the stem used when plain stems collide. */
export function stemWithExtension(relativePath: string): string {
  const { stem, extension } = splitExtension(relativePath)
  return extension === '' ? stem : `${stem}_${extension.slice(1)}`
}

/**
 * Tracks plain stems seen so far to find the colliding ones. Stems are compared
 * case-insensitively, since exports are often copied to case-insensitive file systems.
 */
export function collidingStems(relativePaths: Iterable<string>): Set<string> {
  const seen = new Set<string>()
  const colliding = new Set<string>()
  for (const path of relativePaths) {
    const key = splitExtension(path).stem.toLowerCase()
    if (seen.has(key)) colliding.add(key)
    else seen.add(key)
  }
  return colliding
}

export function exportStem(relativePath: string, colliding: ReadonlySet<string>): string {
  const { stem } = splitExtension(relativePath)
  return colliding.has(stem.toLowerCase()) ? stemWithExtension(relativePath) : stem
}
