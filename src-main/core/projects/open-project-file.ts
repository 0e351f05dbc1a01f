import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { openDatabase, openDatabaseImage, type SqliteDatabase } from '../db/connection'
import { getSchemaVersion, latestVersion, migrate, newerSchemaError } from '../db/migrate'
import { projectMigrations } from '../db/migrations'
import { hasTable, missingSchemaParts } from '../db/schema-check'
import { findProject, type ProjectRecord } from '../db/project-repository'
import { describeStorageError, readOnlyError } from '../db/storage-errors'
import { AppError } from '../errors'
import { OpenProject } from './open-project'
import { isProjectUuid } from '../project-uuid'
import { invalidImageRootReason, resolveStoredImageRoot } from './project-paths'

/** The first 16 bytes of every SQLite database file. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')
/** The magic string and the journal-mode bytes after it. */
const LOOKED_AT_HEADER_BYTES = 20

function notAProject(projectFile: string): AppError {
  return new AppError('invalid-argument', { key: 'project.notProjectFile', values: { file: projectFile } })
}

function fileSystemError(projectFile: string, error: unknown): AppError {
  const code = (error as { code?: unknown }).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return new AppError('not-found', { key: 'project.notFound', values: { file: projectFile } })
  return (
    describeStorageError(error, projectFile) ??
    new AppError('internal', `${projectFile} could not be read: ${(error as Error).message}`)
  )
}

/**
 * Looks at the file without changing a byte: it must be a non-empty SQLite database with a
 * project table, in a place this process may write to. Only then is it opened for writing (which switches it to WAL mode), so a
 * foreign database or an empty file named `.rwproj` is left exactly as it was.
 */
function probeReadOnly(projectFile: string): void {
  let size: number
  try {
    const stats = statSync(projectFile)
    if (!stats.isFile()) throw new AppError('invalid-argument', { key: 'project.isFolder', values: { file: projectFile } })
    size = stats.size
  } catch (error) {
    if (error instanceof AppError) throw error
    throw fileSystemError(projectFile, error)
  }
  if (size < SQLITE_HEADER.length) throw notAProject(projectFile)
  const head = Buffer.alloc(LOOKED_AT_HEADER_BYTES)
  try {
    const descriptor = openSync(projectFile, 'r')
    try {
      readSync(descriptor, head, 0, head.length, 0)
    } finally {
      closeSync(descriptor)
    }
  } catch (error) {
    throw fileSystemError(projectFile, error)
  }
  if (!head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) throw notAProject(projectFile)
  // Even reading a project in WAL mode needs its folder writable (for the -shm file).
  requireWritable(projectFile)

  let db: SqliteDatabase | undefined
  try {
    db = openForLooking(projectFile, head, size)
    const hasProjectTable = hasTable(db, 'project')
    const version = getSchemaVersion(db)
    if (version === 0 || !hasProjectTable) throw notAProject(projectFile)
    const latest = latestVersion(projectMigrations)
    if (version > latest) throw newerSchemaError(version, latest)
    const missing = missingSchemaParts(db, projectMigrations, version)
    if (missing.length > 0) {
      throw new AppError(
        'invalid-argument',
        `${projectFile} is not a Retina Workbench project file: its schema version is ${version}, but it lacks ${missing.join(', ')}.`,
      )
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    const code = (error as { code?: unknown }).code
    if (code === 'SQLITE_CANTOPEN') {
      throw new AppError('internal', { key: 'project.cannotOpen', values: { file: projectFile } })
    }
    throw describeStorageError(error, projectFile) ?? notAProject(projectFile)
  } finally {
    db?.close()
  }
}

/** Header bytes 18 and 19: the file format versions for writing and reading; 2 means WAL mode. */
const WAL_MODE = 2
/** Larger databases in WAL mode are looked at in place (which leaves an empty `-wal` and a `-shm`). */
const IN_MEMORY_LOOK_LIMIT = 256 * 1024 * 1024

/**
 * A read-only connection that changes nothing on disk. Even a read-only connection to a
 * database in WAL mode creates `-wal` and `-shm` beside it (issue 21, item 3), so a WAL-mode
 * file without a `-wal` (everything is in the main file) is read into memory and looked at
 * there, marked as rollback-journal mode, which a database held in memory needs.
 */
function openForLooking(projectFile: string, head: Buffer, size: number): SqliteDatabase {
  const inWalMode = head[18] === WAL_MODE && head[19] === WAL_MODE
  if (!inWalMode || existsSync(`${projectFile}-wal`) || size > IN_MEMORY_LOOK_LIMIT) {
    return openDatabase(projectFile, { mustExist: true, readOnly: true })
  }
  const image = readFileSync(projectFile)
  image[18] = 1
  image[19] = 1
  return openDatabaseImage(image)
}

/** A project saves into its file and a `-wal` file beside it: both must be writable. */
function requireWritable(projectFile: string): void {
  for (const path of [projectFile, dirname(projectFile)]) {
    try {
      accessSync(path, constants.W_OK)
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (code === 'EACCES' || code === 'EROFS' || code === 'EPERM') throw readOnlyError(projectFile)
      throw fileSystemError(projectFile, error)
    }
  }
}

/**
 * The image root a project file names, checked: a hand-edited uuid could steer the thumbnail
 * cache path, and a root at the top of the file system would make every file an image.
 */
function validatedImageRoot(projectFile: string, record: ProjectRecord): string {
  const uuid = String(record.uuid)
  if (!isProjectUuid(uuid)) {
    throw new AppError(
      'invalid-argument',
      `${projectFile} is damaged: its project id ${JSON.stringify(uuid.slice(0, 60))} is not a valid id.`,
    )
  }
  if (typeof record.imageRoot !== 'string' || record.imageRoot === '') {
    throw new AppError('invalid-argument', `${projectFile} is damaged: it names no image folder.`)
  }
  const imageRoot = resolveStoredImageRoot(projectFile, record.imageRoot)
  let realRoot = imageRoot
  try {
    realRoot = realpathSync(imageRoot)
  } catch {
    // The image folder is missing (moved, unplugged): the project opens and its images show as missing.
  }
  const problem = invalidImageRootReason(imageRoot) ?? invalidImageRootReason(realRoot)
  if (problem) {
    throw new AppError(
      'invalid-argument',
      `${projectFile} is damaged: its image folder ${JSON.stringify(record.imageRoot.slice(0, 200))} ${problem}.`,
    )
  }
  return imageRoot
}

/**
 * Opens an existing project file with every check, for the app (ProjectService) and for batch
 * jobs (CLI, worker threads) alike. Errors name the real cause: not a project, read-only
 * location, full disk, permission, lock, damage.
 */
export function openProjectFile(projectFile: string): OpenProject {
  probeReadOnly(projectFile)
  let db: SqliteDatabase
  try {
    db = openDatabase(projectFile, { mustExist: true })
  } catch (error) {
    throw describeStorageError(error, projectFile) ?? fileSystemError(projectFile, error)
  }
  try {
    migrate(db, projectMigrations)
    const record = findProject(db)
    if (!record) throw notAProject(projectFile)
    return new OpenProject(projectFile, db, record, validatedImageRoot(projectFile, record))
  } catch (error) {
    db.close()
    if (error instanceof AppError) throw error
    throw (
      describeStorageError(error, projectFile) ??
      new AppError('invalid-argument', `${projectFile} is not a usable project file: ${(error as Error).message}`)
    )
  }
}
