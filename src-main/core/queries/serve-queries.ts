/**
 * The worker side of a QueryWorker: answers the requests one at a time, in the order they
 * came, with the table's functions over the worker's own connection. A cancel reaches the
 * query it names at once, even while that query runs (between its awaits).
 */
import { parentPort } from 'node:worker_threads'
import type { SqliteDatabase } from '../db/connection'
import { describeStorageError } from '../db/storage-errors'
import { isAppError } from '../errors'
import type { QueryHostMessage, QueryTable, QueryWorkerMessage } from './query-protocol'

export interface ServeQueriesOptions {
  projectFile: string
  /** Runs on the first request (a failure to open is that request's answer, and the next one tries again). */
  openConnection(): SqliteDatabase
  createTable(db: SqliteDatabase): QueryTable
  /**
   * Runs each query inside one read transaction, so that it reads one consistent state of the
   * project while the app commits beside it. Only for queries that are synchronous and read.
   */
  readTransaction?: boolean
}

export function serveQueries(options: ServeQueriesOptions): void {
  const port = parentPort
  if (!port) throw new Error('serveQueries runs only in a worker thread (see QueryWorker).')
  const post = (message: QueryWorkerMessage) => port.postMessage(message)
  let served: { db: SqliteDatabase; table: QueryTable } | undefined
  const cancels = new Map<number, AbortController>()
  let queue: Promise<void> = Promise.resolve()

  async function answer(id: number, method: string, args: unknown, controller: AbortController): Promise<void> {
    try {
      if (!served) {
        const db = options.openConnection()
        served = { db, table: options.createTable(db) }
      }
      const { db, table } = served
      const query = Object.hasOwn(table, method) ? table[method] : undefined
      if (!query) throw new Error(`This worker answers no query named ${method}.`)
      const context = { signal: controller.signal, progress: (done: number, total: number) => post({ type: 'progress', id, done, total }) }
      const run = () => query(args as never, context)
      const value = await (options.readTransaction ? db.transaction(run)() : run())
      post({ type: 'reply', id, ok: true, value })
    } catch (caught) {
      const error = describeStorageError(caught, options.projectFile) ?? caught
      const { code: systemCode, path } = (error ?? {}) as { code?: unknown; path?: unknown }
      post({
        type: 'reply',
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        code: isAppError(error) ? error.code : null,
        ...(isAppError(error) && error.said ? { said: error.said } : {}),
        ...(!isAppError(error) && typeof systemCode === 'string' ? { systemCode } : {}),
        ...(typeof path === 'string' ? { path } : {}),
      })
    } finally {
      cancels.delete(id)
    }
  }

  port.on('message', (message: QueryHostMessage) => {
    if (message.type === 'cancel') {
      cancels.get(message.id)?.abort(new DOMException('cancelled', 'AbortError'))
      return
    }
    const controller = new AbortController()
    cancels.set(message.id, controller)
    queue = queue.then(() => answer(message.id, message.method, message.args, controller))
  })
}
