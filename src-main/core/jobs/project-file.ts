import { openDatabase, type SqliteDatabase } from '../db/connection'
import { getSchemaVersion, migrate } from '../db/migrate'
import { projectMigrations } from '../db/migrations'
import { findProject } from '../db/project-repository'
import { AppError } from '../errors'
import { OpenProject } from '../projects/open-project'
import { resolveStoredImageRoot } from '../projects/project-paths'

/**
 * Opens a project file for a batch job (CLI or worker thread), with its own connection. The
 * app's ProjectService does the same for the project shown in the UI; a job needs no recent
 * list and no events, and a worker cannot share the UI's connection anyway.
 */
export function openProjectFile(projectFile: string): OpenProject {
  let db: SqliteDatabase
  try {
    db = openDatabase(projectFile, { mustExist: true })
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === 'SQLITE_CANTOPEN') throw new AppError('not-found', `There is no readable project file at ${projectFile}.`)
    throw new AppError('invalid-argument', `${projectFile} is not a Retina Workbench project file.`)
  }
  try {
    const record = getSchemaVersion(db) === 0 ? undefined : (migrate(db, projectMigrations), findProject(db))
    if (!record) throw new AppError('invalid-argument', `${projectFile} is not a Retina Workbench project file.`)
    return new OpenProject(projectFile, db, record, resolveStoredImageRoot(projectFile, record.imageRoot))
  } catch (error) {
    db.close()
    if (error instanceof AppError) throw error
    throw new AppError('invalid-argument', `${projectFile} is not a usable project file: ${(error as Error).message}`)
  }
}
