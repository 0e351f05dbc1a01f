/**
 * Image files in, detections out: decode (sharp, EXIF-oriented) → prepare (resize, normalize,
 * pad) → ONNX Runtime → decode heads. The next images are read ahead, so the graph never waits
 * for a file. What overlaps inference is what runs on other threads: sharp decodes on libuv's
 * threads, preparation workers (prepare-pool.ts) prepare tensors on theirs and, on a GPU, the
 * graph runs on an inference thread (inference-thread.ts) while this thread decodes heads and
 * assembles the next batch. Where the session stays on this thread (the CPU default),
 * onnxruntime-node's run() blocks it for the whole graph run, so that work takes turns with
 * inference instead. A bounded look-ahead keeps memory flat however long the list is. One bad
 * image yields an error result for that image and the run goes on.
 */
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_MAX_PIXELS } from '../images/decode-image'
import { resolveCommandLinePath } from '../user-paths'
import { decodeOutputs } from './decode/index'
import { loadModelOnThread } from './inference-thread'
import { loadModel, type DetectionModel, type LoadModelOptions } from './model'
import { messageOf, type Prepared } from './prepare-file'
import { createPreparer, defaultPrepareThreads } from './prepare-pool'
import { gpuLikely } from './session'
import type { Detection, ModelConfig, PreparedInput, ProviderReport, ProviderRequest, RawTensor } from './types'

export const BUNDLED_MODEL_FILE_NAME = 'shapes-retinanet.onnx'
/**
 * The model shipped with the application, found from this source file (the CLI, `serve` and the
 * tests run the sources). A bundled build moves this file, so the desktop app names the path
 * itself (app/bundled-resources.ts).
 */
export const BUNDLED_MODEL_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../resources/models', BUNDLED_MODEL_FILE_NAME)

export interface DetectorOptions {
  /** Defaults to the bundled model. */
  modelPath?: string
  /** Defaults to `<model>.json` beside the model. */
  configPath?: string
  provider?: ProviderRequest
  threads?: number
  decodeCutoff?: number
  /** Largest accepted image (width × height from the header). */
  maxPixels?: number
  /** How many images are decoded and prepared ahead of inference (at least one batch). */
  lookahead?: number
  /**
   * Worker threads that decode and prepare images (0: the detector's own thread). Default: the
   * cores inference leaves free (see defaultPrepareThreads).
   */
  prepareThreads?: number
  /** Idle ONNX Runtime threads spin-wait (see SessionOptions.spinning); default false. */
  spinning?: boolean
  /**
   * Run the graph on its own thread (inference-thread.ts), so that decoding outputs, assembling
   * batches and handling results overlap the graph runs. Default: when the graph will likely run
   * on a GPU, where that work would otherwise keep the GPU waiting.
   */
  inferenceThread?: boolean
}

export type ImageResult =
  | { path: string; ok: true; width: number; height: number; detections: Detection[] }
  | { path: string; ok: false; error: string }

export interface DetectProgress {
  done: number
  total: number
  failed: number
}

export interface DetectFilesOptions {
  signal?: AbortSignal
  onProgress?: (progress: DetectProgress) => void
}

export interface ModelInfo {
  path: string
  config: ModelConfig
  provider: ProviderReport
  maxBatchSize: number
  /** The graph runs on its own thread rather than the detector's. */
  inferenceThread: boolean
}

export interface Detector {
  model: ModelInfo
  /** Worker threads decoding and preparing images (0: the detector's own thread). */
  prepareThreads: number
  /** Results in the order of `paths`. Throws an AbortError once `signal` aborts. */
  detectFiles(paths: readonly string[], options?: DetectFilesOptions): AsyncIterable<ImageResult>
  detectFile(path: string): Promise<ImageResult>
  close(): Promise<void>
}

export class DetectorSetupError extends Error {
  override name = 'DetectorSetupError'
}

export async function openDetector(options: DetectorOptions = {}): Promise<Detector> {
  // Tools and the CLI pass paths as typed: relative ones count from the working folder.
  const modelPath = resolveCommandLinePath(options.modelPath ?? BUNDLED_MODEL_PATH, 'The model file')
  const configPath = options.configPath === undefined ? undefined : resolveCommandLinePath(options.configPath, 'The model config')
  if (!existsSync(modelPath)) {
    throw new DetectorSetupError(
      options.modelPath ? `model file not found: ${modelPath}` : `the bundled model is missing (${modelPath}); pass a model file`,
    )
  }
  const loadOptions: LoadModelOptions = {
    configPath,
    provider: options.provider,
    threads: options.threads,
    decodeCutoff: options.decodeCutoff,
    spinning: options.spinning,
  }
  const threaded = (options.inferenceThread ?? gpuLikely(options.provider ?? 'auto')) ? await loadModelOnThread(modelPath, loadOptions) : null
  const model = threaded ?? (await loadModel(modelPath, loadOptions))
  // Graph runs queued ahead of the one whose outputs are being decoded: on an inference thread one
  // more waits there, so the graph starts again the moment a run ends.
  const runsAhead = threaded ? 2 : 1
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  const prepareThreads = options.prepareThreads ?? defaultPrepareThreads(model.provider.used, options.threads)
  if (!Number.isInteger(prepareThreads) || prepareThreads < 0) {
    await model.close()
    throw new RangeError(`prepareThreads must be a non-negative integer, got ${prepareThreads}`)
  }
  const preparer = createPreparer(model.config.input, maxPixels, prepareThreads, model.inputPrecision)
  // With workers, keep each of them busy: they prepare images concurrently.
  const lookahead = Math.max(options.lookahead ?? 4, model.maxBatchSize + 1, 2 * preparer.threads)
  const prepare = (path: string): Promise<Prepared> => preparer.prepare(path)

  async function* detectFiles(paths: readonly string[], run: DetectFilesOptions = {}): AsyncGenerator<ImageResult> {
    const { signal, onProgress } = run
    signal?.throwIfAborted()
    const steps = batchSteps(paths, prepare, lookahead, model.maxBatchSize, signal)
    const progress = { done: 0, total: paths.length, failed: 0 }
    const report = (result: ImageResult) => {
      progress.done++
      if (!result.ok) progress.failed++
      onProgress?.({ ...progress })
    }
    // Steps in input order: batches whose graph runs were started (up to `runsAhead` beyond the
    // one being decoded), and failed images, whose results wait for the batches before them.
    const queue: Array<{ batch: PreparedImage[]; outcome: Promise<RunOutcome> } | ImageResult> = []
    let runsQueued = 0
    let exhausted = false
    for (;;) {
      signal?.throwIfAborted()
      // Start the next runs before decoding this one: the graph works while its outputs are decoded.
      while (!exhausted && runsQueued <= runsAhead) {
        const step = await steps.next()
        signal?.throwIfAborted()
        if (step.done) exhausted = true
        else if (!Array.isArray(step.value)) queue.push(step.value)
        else {
          queue.push({ batch: step.value, outcome: runGraph(model, step.value) })
          runsQueued++
        }
      }
      const head = queue.shift()
      if (!head) break
      if (!('batch' in head)) {
        report(head)
        yield head
        continue
      }
      runsQueued--
      const results = await finishBatch(model, head.batch, await head.outcome)
      // The batch's graph runs are over and its results hold no tensor: its buffers can be filled again.
      for (const item of head.batch) preparer.recycle(item.input.data)
      signal?.throwIfAborted()
      for (const result of results) {
        report(result)
        yield result
      }
    }
  }

  return {
    model: { path: modelPath, config: model.config, provider: model.provider, maxBatchSize: model.maxBatchSize, inferenceThread: threaded !== null },
    prepareThreads: preparer.threads,
    detectFiles,
    async detectFile(path) {
      for await (const result of detectFiles([path])) return result
      throw new Error('no result')
    },
    async close() {
      await preparer.close()
      await model.close()
    },
  }
}

type PreparedImage = Extract<Prepared, { ok: true }>
type RunOutcome = { ok: true; outputs: Record<string, RawTensor> } | { ok: false; error: unknown }

/**
 * Prepared images grouped for inference, in input order: a batch of consecutive images with
 * the same tensor shape (up to `maxBatchSize`), or a failed image's result. It is consumed
 * while the previous batch runs, so waiting here for images to be prepared costs no
 * inference time. At most `lookahead` images are being decoded or held at any time.
 */
async function* batchSteps(
  paths: readonly string[],
  prepare: (path: string) => Promise<Prepared>,
  lookahead: number,
  maxBatchSize: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<PreparedImage[] | ImageResult> {
  const queue: Promise<Prepared>[] = []
  let next = 0
  const refill = () => {
    while (queue.length < lookahead && next < paths.length && !signal?.aborted) queue.push(prepare(paths[next++]!))
  }
  refill()
  while (queue.length > 0) {
    const head = await queue.shift()!
    refill()
    if (!head.ok) {
      yield { path: head.path, ok: false, error: head.error }
      continue
    }
    const batch = [head]
    while (batch.length < maxBatchSize && queue.length > 0) {
      const candidate = await queue[0]!
      if (!candidate.ok || !sameShape(candidate.input, head.input)) break
      queue.shift()
      batch.push(candidate)
      refill()
    }
    yield batch
  }
}

function runGraph(model: DetectionModel, batch: PreparedImage[]): Promise<RunOutcome> {
  return model.runRaw(batch.map((item) => item.input)).then(
    (outputs) => ({ ok: true, outputs }),
    (error: unknown) => ({ ok: false, error }),
  )
}

async function finishBatch(model: DetectionModel, batch: PreparedImage[], outcome: RunOutcome): Promise<ImageResult[]> {
  if (!outcome.ok) {
    // One image can make a whole batch fail (e.g. a shape the graph rejects): retry each alone.
    if (batch.length > 1) {
      const results: ImageResult[] = []
      for (const item of batch) results.push(...(await finishBatch(model, [item], await runGraph(model, [item]))))
      return results
    }
    return [{ path: batch[0]!.path, ok: false, error: `inference failed: ${messageOf(outcome.error)}` }]
  }
  try {
    const detections = decodeOutputs(outcome.outputs, model.config, batch.map((item) => item.input.frame))
    model.recycleOutputs(outcome.outputs)
    return batch.map((item, index) => ({
      path: item.path,
      ok: true,
      width: item.input.frame.originalWidth,
      height: item.input.frame.originalHeight,
      detections: detections[index] ?? [],
    }))
  } catch (error) {
    return batch.map((item) => ({ path: item.path, ok: false, error: `decoding the model outputs failed: ${messageOf(error)}` }))
  }
}

function sameShape(a: PreparedInput, b: PreparedInput): boolean {
  return a.frame.paddedWidth === b.frame.paddedWidth && a.frame.paddedHeight === b.frame.paddedHeight
}
