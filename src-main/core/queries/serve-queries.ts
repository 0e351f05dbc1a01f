/**
 * The worker side of a QueryWorker: answers each request with the table's function, inside
 * one read transaction of the worker's own connection, so that every answer reads one
 * consistent state of the project even while the app commits edits beside it.
 */
import { parentPort } from 'node:worker_threads'
import type { SqliteDatabase } from '../db/connection'
import { describeStorageError } from '../db/storage-errors'
import { isAppError } from '../errors'
import type { QueryReply, QueryRequest, QueryTable } from './query-protocol'

/**
 * `openConnection` runs on the first request (a failure to open is that request's answer, and
 * the next request tries again); `createTable` then makes the queries over the connection.
 */
export function serveQueries(projectFile: string, openConnection: () => SqliteDatabase, createTable: (db: SqliteDatabase) => QueryTable): void {
  const port = parentPort
  if (!port) throw new Error('serveQueries runs only in a worker thread (see QueryWorker).')
  let served: { db: SqliteDatabase; table: QueryTable } | undefined
  port.on('message', ({ id, method, args }: QueryRequest) => {
    let reply: QueryReply
    try {
      if (!served) {
        const db = openConnection()
        served = { db, table: createTable(db) }
      }
      const { db, table } = served
      const query = Object.hasOwn(table, method) ? table[method] : undefined
      if (!query) throw new Error(`This worker answers no query named ${method}.`)
      const value = db.transaction(() => query(args as never))()
      reply = { id, ok: true, value }
    } catch (caught) {
      const error = describeStorageError(caught, projectFile) ?? caught
      reply = { id, ok: false, message: error instanceof Error ? error.message : String(error), code: isAppError(error) ? error.code : null }
    }
    port.postMessage(reply)
  })
}
