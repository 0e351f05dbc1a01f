import { realpath } from 'node:fs/promises'
import { basename, dirname, extname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path'
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

/** A stored image path, or where its links lead, lies outside the project's image folder. */
export class PathOutsideRootError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PathOutsideRootError'
  }
}

/**
 * The real path (links resolved) of an image that may be read and shown: it must lie inside
 * the real image root. A file replaced by a link to /etc/passwd after the scan, or a linked
 * folder leading elsewhere, is refused with PathOutsideRootError; a missing file rejects with
 * ENOENT as usual.
 */
export async function resolveServableImagePath(imageRoot: string, storedPath: string): Promise<string> {
  let textual: string
  try {
    textual = resolveImagePath(imageRoot, storedPath)
  } catch (error) {
    throw new PathOutsideRootError((error as Error).message)
  }
  const [realRoot, realFile] = await Promise.all([realpath(imageRoot), realpath(textual)])
  const rootProblem = invalidImageRootReason(realRoot)
  if (rootProblem) throw new PathOutsideRootError(`The image folder ${imageRoot} ${rootProblem}.`)
  const inside = relative(realRoot, realFile)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new PathOutsideRootError(`The image ${JSON.stringify(storedPath)} leads outside the image folder (to ${realFile}).`)
  }
  return realFile
}

/** The uuid form every project gets at creation; anything else in a project file is refused. */
export function isProjectUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}

/**
 * Why a stored image root may not be used, or undefined. The top of a file system is refused:
 * no scan of ours stores it, and it would make every file on the disk an "image" of the project.
 */
export function invalidImageRootReason(imageRoot: string): string | undefined {
  if (imageRoot.includes('\0')) return 'contains a NUL character'
  if (parse(imageRoot).root === imageRoot) return 'is the top of the file system'
  return undefined
}
