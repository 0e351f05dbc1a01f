/**
 * The open project's writes, one at a time in the order asked. Small writes (an edit, a review
 * mark) run on this thread; writes that can take seconds (an import, the undo of one) run in
 * the label write worker, and the small writes asked meanwhile wait for them instead of
 * blocking this thread on SQLite's lock. The thread stays free to answer every read.
 *
 * An import's preview only reads: it has a worker of its own, so that reading a large file for
 * a preview holds up no undo.
 */
import { QueryWorker } from '../queries/query-worker'
import type { LabelWrites } from './label-writes'

interface ProjectFiles {
  file: string
  imageRoot: string
}

interface Workers {
  projectFile: string
  writer: QueryWorker<LabelWrites>
  previewer: QueryWorker<LabelWrites>
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

  /** The worker for reads of the import files (previews); not queued behind writes. */
  previewer(project: ProjectFiles): QueryWorker<LabelWrites> {
    return this.of(project).previewer
  }

  /** Ends the workers (what waits in them fails with `cancelled`); the next write starts new ones. */
  async close(): Promise<void> {
    const workers = this.workers
    this.workers = null
    if (workers) await Promise.all([workers.writer.close(), workers.previewer.close()])
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
      this.workers = { projectFile: project.file, writer: start(), previewer: start() }
    }
    return this.workers
  }
}
