/**
 * Worker-thread entry of the inference thread (inference-thread.ts): loads the model here (the
 * session, its checks, the warm-up and the batch size measured on a GPU) and then runs the batch
 * tensors it is sent, one after another, in the order sent. While onnxruntime-node's run() blocks
 * this thread, the detector's thread goes on decoding the previous batch's outputs, assembling the
 * next batch and writing results, so the GPU waits for none of that.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { GraphModel, GraphOutput } from './graph-model'
import { toErrorData, type FromInferenceThread, type InferenceWorkerData, type ToInferenceThread } from './inference-protocol'
import { loadModel } from './model'

if (!parentPort) throw new Error('inference-worker.ts runs only as a worker thread (see inference-thread.ts).')
const port = parentPort
const { modelPath, options } = workerData as InferenceWorkerData
const send = (message: FromInferenceThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)

let model: GraphModel | null = null
// Runs go to the graph strictly one after another, in the order they came.
let queue: Promise<void> = Promise.resolve()

port.on('message', (message: ToInferenceThread) => {
  queue = queue.then(() => (message.kind === 'run' ? run(message) : close()))
})

loadModel(modelPath, options).then(
  (loaded) => {
    model = loaded
    send({ kind: 'loaded', facts: loaded.facts })
  },
  (error: unknown) => send({ kind: 'load-failed', error: toErrorData(error) }),
)

async function run(message: Extract<ToInferenceThread, { kind: 'run' }>): Promise<void> {
  try {
    if (!model) throw new Error('the model is not loaded')
    const { outputs, input } = await model.runGraph(message.tensor)
    const movable = transferable(outputs, input)
    send({ kind: 'ran', id: message.id, outputs: movable, input }, [input, ...movable.map((output) => output.data.buffer as ArrayBuffer)])
  } catch (error) {
    send({ kind: 'run-failed', id: message.id, error: toErrorData(error) })
  }
}

/** Outputs whose memory can move to the other thread: each its own whole buffer (else a copy). */
function transferable(outputs: GraphOutput[], input: ArrayBuffer): GraphOutput[] {
  const seen = new Set<ArrayBufferLike>([input])
  return outputs.map((output) => {
    const { data } = output
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
    if (whole && !seen.has(data.buffer)) {
      seen.add(data.buffer)
      return output
    }
    return { ...output, data: data.slice() }
  })
}

async function close(): Promise<void> {
  await model?.close()
  model = null
  send({ kind: 'closed' })
  port.close()
}
