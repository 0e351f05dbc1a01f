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
    return new AppError('internal', { key: 'storage.diskFull', values: { file } })
  }
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM') {
    return new AppError('internal', { key: 'storage.permissionDenied', values: { file } })
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return new AppError('conflict', { key: 'storage.locked', values: { file } })
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new AppError('internal', { key: 'storage.ioError', values: { file } })
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT_')) {
    return new AppError('invalid-argument', { key: 'storage.damaged', values: { file } })
  }
  return undefined
}

export function readOnlyError(file: string): AppError {
  return new AppError('conflict', { key: 'storage.readOnly', values: { file } })
}
