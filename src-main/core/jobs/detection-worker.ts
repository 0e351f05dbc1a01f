/**
 * Worker-thread entry of a detection run: tensor building, head decoding and NMS are heavy
 * JavaScript that must not run on the Electron main thread. The worker opens the project file
 * with its own connection (WAL lets the UI keep reading), runs the job, and reports through
 * the messages of worker-protocol.ts. Started by runInWorker.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { describeStorageError } from '../db/storage-errors'
import { isAppError } from '../errors'
import type { DetectionRunCallbacks, DetectionRunProgress } from './detection-run-types'
import { resumeDetectionRun, startDetectionRun } from './detection-run'
import type { DetectionJobRequest, HostMessage, WorkerMessage } from './worker-protocol'

/** Progress crosses threads at most this often; an image error and the last event always go. */
const PROGRESS_INTERVAL_MS = 100

const port = parentPort
if (!port) throw new Error('detection-worker.ts runs only as a worker thread (see runInWorker).')
const request = workerData as DetectionJobRequest
const post = (message: WorkerMessage) => port.postMessage(message)

const controller = new AbortController()
port.on('message', (message: HostMessage) => {
  if (message.type === 'cancel') controller.abort(new DOMException('cancelled', 'AbortError'))
})
// Listening for cancel must not keep the worker alive once the job is over.
port.unref()

let lastSent = 0
let held: DetectionRunProgress | null = null
const onProgress = (progress: DetectionRunProgress) => {
  const now = performance.now()
  if (progress.lastError || progress.processed === progress.total || now - lastSent >= PROGRESS_INTERVAL_MS) {
    lastSent = now
    held = null
    post({ type: 'progress', progress })
  } else {
    held = progress
  }
}
const callbacks: DetectionRunCallbacks = {
  signal: controller.signal,
  onProgress,
  onStarted: (started) => post({ type: 'started', started }),
}

try {
  const summary =
    request.kind === 'start'
      ? await startDetectionRun(request.projectFile, request.settings, callbacks)
      : await resumeDetectionRun(request.projectFile, request.runId, request.settings, callbacks)
  if (held) post({ type: 'progress', progress: held })
  post({ type: 'finished', summary })
} catch (caught) {
  // A read-only or full disk reads as the same plain sentence everywhere, not SQLite's own words.
  const error = describeStorageError(caught, request.projectFile) ?? caught
  post({
    type: 'failed',
    message: error instanceof Error ? error.message : String(error),
    code: isAppError(error) ? error.code : null,
    ...(isAppError(error) && error.said ? { said: error.said } : {}),
  })
}
