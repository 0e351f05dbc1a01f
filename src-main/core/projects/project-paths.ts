import { open, realpath } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path'
import type { StoredImageFormat } from '../db/images-repository'
import { SNIFF_BYTES, sniffImageFormat } from '../images/image-format'
export { requireAbsolutePath } from '../user-paths'

export const PROJECT_FILE_EXTENSION = '.rwproj'

/** `demo` becomes `demo.rwproj`; a name that has an extension is kept as given. */
export function withProjectExtension(projectFile: string): string {
  return extname(projectFile) === '' ? `${projectFile}${PROJECT_FILE_EXTENSION}` : projectFile
}

/** `<imageFolder>/<folder name>.rwproj`, the default place for a new project file. */
export function defaultProjectFile(imageFolder: string): string {
  const folder = resolve(imageFolder)
  const name = basename(folder) || 'project'
  return join(folder, `${name}${PROJECT_FILE_EXTENSION}`)
}

/**
 * The image root as stored: relative to the folder holding the project file, with forward
 * slashes, so moving the whole project folder keeps it valid. Falls back to the absolute
 * path only when no relative path exists (another Windows drive).
 */
export function toStoredImageRoot(projectFile: string, imageFolder: string): string {
  const relativeRoot = relative(dirname(resolve(projectFile)), resolve(imageFolder))
  if (relativeRoot === '') return '.'
  if (isAbsolute(relativeRoot)) return relativeRoot
  return relativeRoot.split(sep).join('/')
}

export function resolveStoredImageRoot(projectFile: string, storedRoot: string): string {
  if (isAbsolute(storedRoot)) return storedRoot
  return resolve(dirname(resolve(projectFile)), ...storedRoot.split('/'))
}

/**
 * Absolute path of an image from its stored relative path. Stored paths come from our
 * own scan, but the file could have been edited by hand: anything that would leave the
 * image root is rejected.
 */
export function resolveImagePath(imageRoot: string, storedPath: string): string {
  if (storedPath.startsWith('/') || /^[A-Za-z]:/.test(storedPath) || storedPath.includes('\0')) {
    throw new Error(`The stored image path "${storedPath}" points outside the image folder.`)
  }
  const absolute = resolve(imageRoot, ...storedPath.split('/'))
  const inside = relative(imageRoot, absolute)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new Error(`The stored image path "${storedPath}" points outside the image folder.`)
  }
  return absolute
}

/** A project name from its folder when the user gives none. */
export function defaultProjectName(imageFolder: string): string {
  return basename(resolve(imageFolder)) || 'Untitled project'
}

/**
 * An image the project file asks for that is not served, thumbnailed or copied: its path or
 * where its links lead lies outside the image folder, or its bytes are not an image.
 */
export class RefusedImageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RefusedImageError'
  }
}

export interface ServableImage {
  /** The real path, links resolved, inside the real image root. */
  path: string
  /** The format its bytes say, whatever the file name or the project file says. */
  format: StoredImageFormat
}

/**
 * The real file (links resolved) of an image that may be read, shown or copied: it must lie
 * inside the real image root, and its first bytes must be an image format the app reads. A
 * file replaced by a link to /etc/passwd after the scan, a linked folder leading elsewhere or
 * a text file named `.jpg` is refused with RefusedImageError; a missing file rejects with
 * ENOENT as usual.
 */
export async function resolveServableImage(imageRoot: string, storedPath: string): Promise<ServableImage> {
  let textual: string
  try {
    textual = resolveImagePath(imageRoot, storedPath)
  } catch (error) {
    throw new RefusedImageError((error as Error).message)
  }
  const [realRoot, realFile] = await Promise.all([realpath(imageRoot), realpath(textual)])
  const rootProblem = invalidImageRootReason(realRoot)
  if (rootProblem) throw new RefusedImageError(`The image folder ${imageRoot} ${rootProblem}.`)
  const inside = relative(realRoot, realFile)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new RefusedImageError(`The image ${JSON.stringify(storedPath)} leads outside the image folder (to ${realFile}).`)
  }
  const format = sniffImageFormat(await readHead(realFile))
  if (!format) throw new RefusedImageError(`The file ${JSON.stringify(storedPath)} is not an image the app reads (judged by its bytes).`)
  return { path: realFile, format }
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r')
  try {
    const head = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return head.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/**
 * Why a stored image root may not be used, or undefined. The top of a file system is refused:
 * no scan of ours stores it, and it would make every file on the disk an "image" of the project.
 */
export function invalidImageRootReason(imageRoot: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (imageRoot.includes('\0')) return 'contains a NUL character'
  if (parse(imageRoot).root === imageRoot) return 'is the top of the file system'
  if (isInsideSystemFolder(imageRoot, platform)) return 'is a system folder, not a folder of images'
  return undefined
}

/**
 * Folders of the operating system itself: no one keeps images to label there, and a crafted
 * project naming one would make its files (`/etc/shadow`) the project's "images".
 */
const POSIX_SYSTEM_FOLDERS = ['/etc', '/proc', '/sys', '/dev', '/boot', '/run']

function isInsideSystemFolder(folder: string, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') {
    const windowsFolder = (process.env.SystemRoot ?? 'C:\\Windows').toLowerCase()
    const lower = folder.toLowerCase().replace(/\//g, '\\')
    return lower === windowsFolder || lower.startsWith(`${windowsFolder}\\`)
  }
  return POSIX_SYSTEM_FOLDERS.some((system) => folder === system || folder.startsWith(`${system}/`))
}
