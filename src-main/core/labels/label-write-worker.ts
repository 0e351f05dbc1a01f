/**
 * Worker-thread entry that answers a project's long label writes (label-writes.ts) with its
 * own connection; started through QueryWorker by ProjectWrites.
 */
import { workerData } from 'node:worker_threads'
import { openDatabase, waitLikeAJob } from '../db/connection'
import { serveQueries } from '../queries/serve-queries'
import { createLabelWrites } from './label-writes'

const { projectFile, imageRoot } = workerData as { projectFile: string; imageRoot: string }
serveQueries({
  projectFile,
  openConnection: () => {
    const db = openDatabase(projectFile, { mustExist: true })
    // A detection run may be committing a batch; this thread has no window to keep answering.
    waitLikeAJob(db)
    return db
  },
  createTable: (db) => createLabelWrites(db, imageRoot),
})
