/**
 * Worker-thread entry that answers a project's evaluation queries (evaluation-queries.ts) with
 * its own read-only connection; started by the API's EvaluationService through QueryWorker.
 */
import { workerData } from 'node:worker_threads'
import { openDatabase } from '../db/connection'
import { serveQueries } from '../queries/serve-queries'
import { createEvaluationQueries } from './evaluation-queries'

const { projectFile } = workerData as { projectFile: string }
serveQueries(projectFile, () => openDatabase(projectFile, { mustExist: true, readOnly: true }), createEvaluationQueries)
