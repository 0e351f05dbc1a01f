/**
 * The open project's writes, one at a time in the order asked. Small writes (an edit, a review
 * mark) run on this thread; writes that can take seconds (an import, the undo of one) run in
 * the label write worker, and the small writes asked meanwhile wait for them instead of
 * blocking this thread on SQLite's lock. The thread stays free to answer every read.
 *
 * Reading an import's files takes the longest and writes nothing: it happens in a worker of its
 * own (the reader), outside the queue, so that reading a large file holds up no edit and no undo.
 * A preview only reads there; an import then plans and writes there in its turn.
 */
import { AppError } from '../errors'
import { QueryWorker, type QueryCallOptions } from '../queries/query-worker'
import type { LabelImportRequest, LabelWrites, WrittenImport } from './label-writes'

interface ProjectFiles {
  file: string
  imageRoot: string
}

interface Workers {
  projectFile: string
  writer: QueryWorker<LabelWrites>
  reader: QueryWorker<LabelWrites>
}

export class ProjectWrites {
  private workers: Workers | null = null
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `write` on this thread once every write asked before it has finished. */
  onThisThread<T>(write: () => T | Promise<T>): Promise<T> {
    return this.queue(write)
  }

  /**
   * Runs `write` with the write worker of the project open when its turn comes (`openProject`
   * throws when none is), once every write asked before it has finished.
   */
  inWorker<T>(openProject: () => ProjectFiles, write: (worker: QueryWorker<LabelWrites>) => Promise<T>): Promise<T> {
    return this.queue(() => write(this.of(openProject()).writer))
  }

  /**
   * Starts the open project's write worker ahead of its first write: a person's first Ctrl+Z
   * should not wait for a thread to load its modules.
   */
  warmUp(project: ProjectFiles): void {
    this.of(project).writer.warmUp()
  }

  /** The worker that reads import files (previews, and imports before their turn); not queued behind writes. */
  reader(project: ProjectFiles): QueryWorker<LabelWrites> {
    return this.of(project).reader
  }

  /**
   * Imports labels into the project open now: reads the files in the reader at once, then plans
   * and writes them there once every write asked before has finished. A cancel or a closed
   * project before the turn comes writes nothing.
   */
  async importLabels(openProject: () => ProjectFiles, request: LabelImportRequest, options: QueryCallOptions = {}): Promise<WrittenImport> {
    const { reader } = this.of(openProject())
    const read = await reader.call('readImport', request, options)
    try {
      return await this.queue(() => {
        options.signal?.throwIfAborted()
        // Another project open now has other workers: the files were read for a project that is gone.
        if (this.of(openProject()).reader !== reader) throw new AppError('cancelled', 'The project was closed before the import could be written.')
        return reader.call('writeImport', { ...read, now: new Date().toISOString() }, options)
      })
    } catch (error) {
      reader.call('forgetImport', read).catch(() => undefined)
      throw error
    }
  }

  /** Ends the workers (what waits in them fails with `cancelled`); the next write starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers
    this.workers = null
    if (workers) await Promise.all([workers.writer.close(), workers.reader.close()])
  }

  private queue<T>(write: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(write)
    // The next write waits for this one however it ends.
    this.tail = result.catch(() => undefined)
    return result
  }

  private of(project: ProjectFiles): Workers {
    if (this.workers?.projectFile !== project.file) {
      void this.close()
      // The entry lies beside this module, in the source tree and in the built main alike.
      const start = () =>
        new QueryWorker<LabelWrites>({
          fromModuleUrl: import.meta.url,
          entry: 'label-write-worker',
          workerData: { projectFile: project.file, imageRoot: project.imageRoot },
        })
      this.workers = { projectFile: project.file, writer: start(), reader: start() }
    }
    return this.workers
  }
}
