/**
 * Worker-thread entry that answers a project's evaluation queries (evaluation-queries.ts) with
 * its own read-only connection, each in one read transaction; started through QueryWorker by
 * ProjectEvaluations.
 */
import { workerData } from 'node:worker_threads'
import { openDatabase } from '../db/connection'
import { serveQueries } from '../queries/serve-queries'
import { createEvaluationQueries } from './evaluation-queries'

const { projectFile } = workerData as { projectFile: string }
serveQueries({
  projectFile,
  openConnection: () => openDatabase(projectFile, { mustExist: true, readOnly: true }),
  createTable: createEvaluationQueries,
  readTransaction: true,
})
