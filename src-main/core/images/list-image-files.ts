/**
 * The image files of a folder for a batch run: files with an image extension (kept even when
 * their content turns out to be bad, so the run reports them instead of silently skipping
 * them), plus files without one whose leading bytes say they are an image. The folder is listed
 * by walkFolder's rules (hidden entries and links left out, sorted by relative path, so runs
 * are repeatable).
 */
import { basename, extname } from 'node:path'
import { relativeForwardPath, walkFolder } from '../files/walk-folder'
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
  const walk = await walkFolder(root, { recursive: options.recursive ?? false, ...(options.signal ? { signal: options.signal } : {}) })
  const firstUnreadable = walk.unreadableFolders[0]
  if (firstUnreadable && !options.onUnreadableFolder) throw firstUnreadable.error
  for (const { path, error } of walk.unreadableFolders) options.onUnreadableFolder?.(path, error)
  const found: ListedImage[] = []
  for (const path of walk.files) {
    if (await looksLikeImage(path, basename(path))) found.push({ path, relativePath: relativeForwardPath(root, path) })
  }
  return found
}

async function looksLikeImage(path: string, name: string): Promise<boolean> {
  if (IMAGE_EXTENSIONS.has(extname(name).toLowerCase())) return true
  try {
    return sniffImageFormat(await readFileHead(path, SNIFF_BYTES)) !== undefined
  } catch {
    return false // unreadable and not named like an image: not ours to report
  }
}

export { compareCodePoints } from '../files/walk-folder'
