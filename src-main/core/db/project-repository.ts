import type { SqliteDatabase } from './connection'

/** The single metadata row of a project database. */
export interface ProjectRecord {
  uuid: string
  name: string
  createdAt: string
  appVersion: string
  /** Relative to the folder holding the project file, forward slashes (`.` for the same folder). */
  imageRoot: string
}

interface ProjectRow {
  uuid: string
  name: string
  created_at: string
  app_version: string
  image_root: string
}

export function insertProject(db: SqliteDatabase, project: ProjectRecord): void {
  const result = db
    .prepare(
      `INSERT INTO project (id, uuid, name, created_at, app_version, image_root)
       VALUES (1, @uuid, @name, @createdAt, @appVersion, @imageRoot)`,
    )
    .run(project)
  if (result.changes !== 1) throw new Error('The project metadata row was not written.')
}

export function findProject(db: SqliteDatabase): ProjectRecord | undefined {
  const row = db.prepare('SELECT uuid, name, created_at, app_version, image_root FROM project WHERE id = 1').get() as
    | ProjectRow
    | undefined
  if (!row) return undefined
  return {
    uuid: row.uuid,
    name: row.name,
    createdAt: row.created_at,
    appVersion: row.app_version,
    imageRoot: row.image_root,
  }
}
