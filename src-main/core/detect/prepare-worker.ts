/**
 * Worker-thread entry of a preparation worker (prepare-pool.ts): decodes and prepares the
 * image files it is sent and hands each tensor back without copying (its buffer is
 * transferred). Plain data only crosses the thread boundary.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { prepareFile } from './prepare-file'
import type { PrepareJob, PrepareReply, PrepareWorkerData } from './prepare-protocol'

const port = parentPort
if (!port) throw new Error('prepare-worker.ts runs only as a worker thread (see prepare-pool.ts).')
const { input, maxPixels } = workerData as PrepareWorkerData

port.on('message', (job: PrepareJob) => {
  void prepareFile(job.path, input, maxPixels).then((prepared) => {
    const reply: PrepareReply = { id: job.id, prepared }
    port.postMessage(reply, prepared.ok ? [prepared.input.data.buffer as ArrayBuffer] : [])
  })
})
