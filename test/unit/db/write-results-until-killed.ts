/**
 * Child process for the crash test: records results for every pending image of a run, in
 * small batches, as fast as it can, printing a line after each committed batch. The test
 * kills it with SIGKILL at an arbitrary moment. Usage: <project file> <run id>.
 */
import { openDatabase } from '../../../src-main/core/db/connection'
import { recordImageResults } from '../../../src-main/core/db/detections-repository'
import { listPendingImages } from '../../../src-main/core/db/run-progress'
import { syntheticResultFor } from './project-database-fixture'

const [file, runIdText] = process.argv.slice(2)
const db = openDatabase(file!, { mustExist: true })
const runId = Number(runIdText)

let afterPath = ''
for (;;) {
  const batch = listPendingImages(db, runId, afterPath, 4)
  if (batch.length === 0) break
  recordImageResults(db, runId, batch.map((image) => syntheticResultFor(image.id)), new Date().toISOString())
  afterPath = batch[batch.length - 1]!.relativePath
  process.stdout.write(`${afterPath}\n`)
}
db.close()
process.stdout.write('finished\n')
