/**
 * A worker thread that answers one project's queries with its own connection, so that work
 * that takes seconds (an evaluation with a compared run; an import or the undo of one, in the
 * label write worker) leaves the thread that answers the API free: the app.info, grid page or
 * keypress behind it is answered at once. Queries are answered one at a time, in the order
 * asked. The worker starts on the first query (or `warmUp`) and lives until `close`; a worker
 * that dies is started again by the next query.
 */
import type { Worker } from 'node:worker_threads'
import type { ApiErrorCode } from '../../../src-shared/api/result'
import { AppError } from '../errors'
import { startWorkerBeside } from '../jobs/start-worker'
import type { QueryHostMessage, QueryTable, QueryWorkerMessage } from './query-protocol'

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
  onProgress: ((done: number, total: number) => void) | undefined
}

export interface QueryCallOptions {
  /** Aborting sends the query a cancel; how it ends (an error, a partial answer) is the query's to say. */
  signal?: AbortSignal | undefined
  onProgress?: ((done: number, total: number) => void) | undefined
}

export interface QueryWorkerOptions {
  /** `import.meta.url` of a module beside the worker entry. */
  fromModuleUrl: string
  /** The entry's file name without its extension, e.g. `evaluation-worker`. */
  entry: string
  workerData: unknown
}

/** The worker's failure as the error the query would have thrown on this thread. */
function toError(reply: Extract<QueryWorkerMessage, { ok: false }>): Error {
  if (reply.code) return new AppError(reply.code as ApiErrorCode, reply.said ?? reply.message)
  return Object.assign(new Error(reply.message), reply.systemCode ? { code: reply.systemCode } : {}, reply.path ? { path: reply.path } : {})
}

export class QueryWorker<Table extends QueryTable> {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private closed = false

  constructor(private readonly options: QueryWorkerOptions) {}

  call<Method extends keyof Table & string>(
    method: Method,
    args: Parameters<Table[Method]>[0],
    options: QueryCallOptions = {},
  ): Promise<Awaited<ReturnType<Table[Method]>>> {
    if (this.closed) return Promise.reject(new AppError('cancelled', 'The project was closed before the query could run.'))
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    const { signal, onProgress } = options
    const cancel = () => worker.postMessage({ type: 'cancel', id } satisfies QueryHostMessage)
    return new Promise<Awaited<ReturnType<Table[Method]>>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, onProgress })
      // A waiting answer keeps the process alive; an idle worker does not.
      if (this.pending.size === 1) worker.ref()
      worker.postMessage({ type: 'query', id, method, args } satisfies QueryHostMessage)
      if (signal?.aborted) cancel()
      else signal?.addEventListener('abort', cancel, { once: true })
    }).finally(() => signal?.removeEventListener('abort', cancel))
  }

  /** Starts the thread now, so that the first query does not wait for its modules to load. */
  warmUp(): void {
    if (!this.closed && !this.worker) this.start()
  }

  /** Ends the worker; queries still waiting fail with `cancelled`. */
  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    this.worker = null
    this.failAll(new AppError('cancelled', 'The project was closed while the query ran.'))
    await worker?.terminate()
  }

  private start(): Worker {
    const worker = startWorkerBeside(this.options.fromModuleUrl, this.options.entry, this.options.workerData)
    worker.unref()
    worker.on('message', (reply: QueryWorkerMessage) => {
      const waiting = this.pending.get(reply.id)
      if (!waiting) return
      if (reply.type === 'progress') {
        waiting.onProgress?.(reply.done, reply.total)
        return
      }
      this.pending.delete(reply.id)
      if (this.pending.size === 0) worker.unref()
      if (reply.ok) waiting.resolve(reply.value)
      else waiting.reject(toError(reply))
    })
    const lost = (error: Error) => {
      if (this.worker !== worker) return
      this.worker = null
      this.failAll(error)
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`The query worker stopped (exit code ${code}).`)))
    this.worker = worker
    return worker
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()]
    this.pending.clear()
    for (const { reject } of waiting) reject(error)
  }
}
