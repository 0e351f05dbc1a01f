import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

export const PROJECT_FILE_EXTENSION = '.rwproj'

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
