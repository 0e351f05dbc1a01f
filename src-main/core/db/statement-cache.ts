import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './connection'

const cache = new WeakMap<SqliteDatabase, Map<string, Statement>>()

/**
 * A prepared statement reused for the life of the connection. Preparing parses the SQL
 * anew each time, which costs more than running a small statement; code that runs per
 * image of a detection run (hundreds of thousands of times) takes its statements from here.
 */
export function cachedStatement(db: SqliteDatabase, sql: string): Statement {
  let statements = cache.get(db)
  if (!statements) {
    statements = new Map()
    cache.set(db, statements)
  }
  let statement = statements.get(sql)
  if (!statement) {
    statement = db.prepare(sql)
    statements.set(sql, statement)
  }
  return statement
}
