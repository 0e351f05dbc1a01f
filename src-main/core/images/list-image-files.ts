/**
 * The image files of a folder for a batch run: files with an image extension (kept even when
 * their content turns out to be bad, so the run reports them instead of silently skipping
 * them), plus files without one whose leading bytes say they are an image. Hidden entries and
 * symbolic links are skipped; the result is sorted by relative path so runs are repeatable.
 */
import { opendir } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'
import { SNIFF_BYTES, sniffImageFormat } from './image-format'
import { readFileHead } from './image-metadata'

export const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.tif', '.tiff', '.gif', '.bmp', '.avif', '.heic', '.heif'])

export interface ListedImage {
  path: string
  /** Relative to the listed folder, forward slashes. */
  relativePath: string
}

export interface ListImageOptions {
  recursive?: boolean
  signal?: AbortSignal
  /**
   * Called for a sub-folder that cannot be read, which is then skipped; without it the error
   * ends the listing. The root folder must always be readable.
   */
  onUnreadableFolder?: (folder: string, error: unknown) => void
}

export async function listImageFiles(root: string, options: ListImageOptions = {}): Promise<ListedImage[]> {
  const found: ListedImage[] = []
  const pending = [root]
  while (pending.length > 0) {
    options.signal?.throwIfAborted()
    const folder = pending.pop()!
    const entries = []
    try {
      for await (const entry of await opendir(folder)) entries.push(entry)
    } catch (error) {
      if (folder === root || !options.onUnreadableFolder) throw error
      options.onUnreadableFolder(folder, error)
      continue
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const path = join(folder, entry.name)
      if (entry.isDirectory()) {
        if (options.recursive) pending.push(path)
      } else if (entry.isFile() && (await looksLikeImage(path, entry.name))) {
        found.push({ path, relativePath: relative(root, path).split(sep).join('/') })
      }
    }
  }
  return found.sort((a, b) => compareCodePoints(a.relativePath, b.relativePath))
}

async function looksLikeImage(path: string, name: string): Promise<boolean> {
  if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) return true
  try {
    return sniffImageFormat(await readFileHead(path, SNIFF_BYTES)) !== undefined
  } catch {
    return false // unreadable and not named like an image: not ours to report
  }
}

export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
