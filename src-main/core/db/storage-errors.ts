import { AppError } from '../errors'

/**
 * Plain-language errors for the file system and SQLite failures a project file can meet:
 * a read-only location, a full disk, a permission, a lock, a damaged file. Every opener and
 * every writer outside the API dispatcher (a detection run's worker) goes through this, so
 * the person sees the real cause and what to do, never SQLite's own wording.
 */
export function describeStorageError(error: unknown, file: string): AppError | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return undefined
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return readOnlyError(file)
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new AppError('internal', `The disk holding ${file} is full, so the project cannot be saved. Free some space and try again.`)
  }
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM') {
    return new AppError(
      'internal',
      `Permission denied for ${file}. Check that you may read and write it and its folder (or ask its owner).`,
    )
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return new AppError('conflict', `${file} is locked by another program. Close it there and try again.`)
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new AppError('internal', `${file} could not be read or written (a disk input/output error). Check the disk, or copy the project elsewhere.`)
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) {
    return new AppError('invalid-argument', `${file} is damaged or is not a Retina Workbench project file.`)
  }
  return undefined
}

export function readOnlyError(file: string): AppError {
  return new AppError(
    'conflict',
    `${file} is in a read-only location (the file or its folder cannot be written), and a project saves every change ` +
      'into its file. Copy the project folder to a place you can write to, or change its permissions, then open it there.',
  )
}
