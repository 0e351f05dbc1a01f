/**
 * The worker thread that trains a project's model for the app (train-in-worker.ts starts it):
 * the training's arithmetic runs here, so the thread that answers the API stays free. It opens
 * the project file with its own connection and reports plan, steps and epochs as messages.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { isAppError } from '../errors'
import { openProjectFile } from '../jobs/project-file'
import { trainProjectModel } from './project-training'
import { TrainingCancelled } from './train-heads'
import type { TrainingHostMessage, TrainingJobRequest, TrainingWorkerMessage } from './training-worker-protocol'

const port = parentPort!
const request = workerData as TrainingJobRequest
const controller = new AbortController()
const send = (message: TrainingWorkerMessage) => port.postMessage(message)

port.on('message', (message: TrainingHostMessage) => {
  if (message.type === 'cancel') controller.abort()
})

async function main(): Promise<void> {
  const project = openProjectFile(request.projectFile)
  try {
    const report = await trainProjectModel(project, {
      out: request.out,
      ...(request.baseModelPath ? { baseModelPath: request.baseModelPath } : {}),
      ...(request.baseConfigPath ? { baseConfigPath: request.baseConfigPath } : {}),
      ...(request.epochs ? { settings: { epochs: request.epochs } } : {}),
      signal: controller.signal,
      onPlan: (plan) => send({ type: 'plan', plan }),
      onStep: (done, total) => send({ type: 'step', done, total }),
      onEpoch: (report) => send({ type: 'epoch', report }),
    })
    send({ type: 'finished', report })
  } catch (error) {
    if (error instanceof TrainingCancelled || controller.signal.aborted) send({ type: 'cancelled' })
    else send({ type: 'failed', ...(isAppError(error) ? { code: error.code } : {}), message: error instanceof Error ? error.message : String(error) })
  } finally {
    project.close()
    port.close()
  }
}

void main()
