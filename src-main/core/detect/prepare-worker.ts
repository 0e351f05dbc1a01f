/**
 * Worker-thread entry of a preparation worker (prepare-pool.ts): decodes and prepares the
 * image files it is sent and hands each tensor back without copying (its buffer is
 * transferred). Tensors the detector is done with come back the same way, to be filled again
 * (tensor-buffers.ts). Plain data only crosses the thread boundary.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { prepareFile } from './prepare-file'
import type { PrepareJob, PrepareReply, PrepareWorkerData, RecycleTensor } from './prepare-protocol'
import { TensorBuffers } from './tensor-buffers'

const port = parentPort
if (!port) throw new Error('prepare-worker.ts runs only as a worker thread (see prepare-pool.ts).')
const { input, maxPixels, precision } = workerData as PrepareWorkerData

const buffers = new TensorBuffers()

port.on('message', (message: PrepareJob | RecycleTensor) => {
  if ('recycle' in message) {
    buffers.give(new Float32Array(message.recycle))
    return
  }
  const job = message
  void prepareFile(job.path, input, maxPixels, buffers, precision).then((prepared) => {
    const reply: PrepareReply = { id: job.id, prepared }
    const transfer = prepared.ok ? [prepared.input.data.buffer, prepared.input.float16?.buffer].filter((b) => b !== undefined) : []
    port.postMessage(reply, transfer as ArrayBuffer[])
  })
})
