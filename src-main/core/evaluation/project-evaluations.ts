/**
 * The evaluation worker of the open project: started by the first evaluation query, ended when
 * the project closes. Scoring 5,000 images with a compared run takes seconds; in the worker it
 * no longer holds up the calls of every window meanwhile.
 */
import { QueryWorker } from '../queries/query-worker'
import type { EvaluationQueries } from './evaluation-queries'

export class ProjectEvaluations {
  private current: { projectFile: string; worker: QueryWorker<EvaluationQueries> } | null = null

  /** The worker answering for `projectFile`; one for another project is ended first. */
  of(projectFile: string): QueryWorker<EvaluationQueries> {
    if (this.current?.projectFile !== projectFile) {
      void this.close()
      // The entry lies beside this module, in the source tree and in the built main alike.
      const worker = new QueryWorker<EvaluationQueries>({ fromModuleUrl: import.meta.url, entry: 'evaluation-worker', workerData: { projectFile } })
      this.current = { projectFile, worker }
    }
    return this.current.worker
  }

  /** Ends the worker (its waiting queries fail with `cancelled`); the next query starts a new one. */
  close(): Promise<void> {
    const worker = this.current?.worker
    this.current = null
    return worker ? worker.close() : Promise.resolve()
  }
}
