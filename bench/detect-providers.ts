/**
 * Detection on every execution provider this machine has (CPU, WebGPU, CUDA), for each model:
 *
 * - ORT-only images/s at batch sizes 1, 2, 4, … (session.run on prepared tensors, no files);
 * - the batch size the detector measures for itself at load time, and through the whole
 *   pipeline (image files → detections, preparation workers as the app starts them, the graph
 *   on an inference thread and on the detector's) the images/s and its ratio to ORT-only at
 *   that same batch, rounds alternating;
 * - how far the provider's raw outputs lie from the CPU provider's on the same input.
 *
 * WebGPU on a software renderer (lavapipe) is left out unless BENCH_SOFTWARE_GPU=1: it takes
 * seconds an image. Environment: BENCH_PROVIDERS (default: every available one),
 * BENCH_PROVIDER_MODELS (extra models, comma-separated paths, each with its .json beside it),
 * BENCH_SKIP_BUNDLED=1 (only those), BENCH_PROVIDER_IMAGES (default 96), BENCH_BATCHES (default
 * 1,2,4,8,16,32), BENCH_PREPARE_THREADS (pipelines with these worker counts, comma-separated;
 * `default` is the app's choice, the default), BENCH_INFERENCE_THREAD (pipelines with the graph
 * on its own thread `on`, on the detector's `off`, or the app's choice `default`; default
 * `on,off`), BENCH_THREADS and BENCH_ROUNDS as the other detection benchmarks.
 */
import { availableParallelism } from 'node:os'
import { basename } from 'node:path'
import { BUNDLED_MODEL_PATH, openDetector } from '../src-main/core/detect/detector'
import { loadModel, type DetectionModel } from '../src-main/core/detect/model'
import { prepareImage } from '../src-main/core/detect/preprocess'
import { machineGpu, missingCudaProvider } from '../src-main/core/detect/session'
import { inEnglish, type Said } from '../src-shared/messages/said'
import type { PreparedInput, ProviderName, RawTensor } from '../src-main/core/detect/types'
import { decodeImageFile } from '../src-main/core/images/decode-image'

const threads = Number(process.env.BENCH_THREADS ?? 2)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const imageCount = Number(process.env.BENCH_PROVIDER_IMAGES ?? 96)
const batchSizes = (process.env.BENCH_BATCHES ?? '1,2,4,8,16,32').split(',').map(Number)
/** Preparation workers of the pipelines measured: `default` is the app's choice. */
const prepareVariants = (process.env.BENCH_PREPARE_THREADS ?? 'default').split(',')
/** Where the pipelines' graph runs: its own thread, the detector's, or the app's choice. */
const threadVariants = (process.env.BENCH_INFERENCE_THREAD ?? 'on,off').split(',').map((v) => (v === 'on' ? true : v === 'off' ? false : undefined))

interface ProviderChoice {
  provider: ProviderName
  /** Why it is left out, or null. */
  skipped: string | null
}

function availableProviders(): ProviderChoice[] {
  const wanted = process.env.BENCH_PROVIDERS?.split(',') as ProviderName[] | undefined
  const gpu = machineGpu()
  const english = (said: Said | null) => (said === null ? null : inEnglish(said))
  const softwareSkip = gpu.autoSkip === null ? 'no GPU was found' : inEnglish(gpu.autoSkip)
  const webgpuSkip = english(gpu.blocker) ?? (gpu.hardware || process.env.BENCH_SOFTWARE_GPU === '1' ? null : `${softwareSkip} (BENCH_SOFTWARE_GPU=1 measures it)`)
  const all: ProviderChoice[] = [
    { provider: 'cpu', skipped: null },
    { provider: 'webgpu', skipped: webgpuSkip },
    { provider: 'cuda', skipped: english(missingCudaProvider()) },
  ]
  if (!wanted) return all
  // A provider named in BENCH_PROVIDERS is measured even where it would be skipped (lavapipe).
  return all.filter((choice) => wanted.includes(choice.provider)).map((choice) => ({ ...choice, skipped: null }))
}

/** The graph's own speed in images/s: passes over two batches of `inputs` until a second has passed (at least two). */
async function ortImagesPerSecond(model: DetectionModel, inputs: PreparedInput[], batch: number): Promise<number> {
  const batches: PreparedInput[][] = []
  for (let i = 0; i + batch <= Math.min(inputs.length, 2 * batch); i += batch) batches.push(inputs.slice(i, i + batch))
  if (batches.length === 0) return NaN
  await model.runRaw(batches[0]!) // shape-dependent set-up
  let images = 0
  let passes = 0
  const started = performance.now()
  while (passes < 2 || performance.now() - started < 1000) {
    for (const group of batches) model.recycleOutputs(await model.runRaw(group))
    images += batches.length * batch
    passes++
  }
  return images / ((performance.now() - started) / 1000)
}

function maxDifference(a: Record<string, RawTensor>, b: Record<string, RawTensor>): number {
  let worst = 0
  for (const [name, tensor] of Object.entries(a)) {
    const other = b[name]!.data
    for (let i = 0; i < tensor.data.length; i++) worst = Math.max(worst, Math.abs(Number(tensor.data[i]) - Number(other[i])))
  }
  return worst
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function benchModel(modelPath: string, providers: ProviderChoice[], paths: string[]): Promise<void> {
  console.log(`\n${basename(modelPath)}`)
  let cpuOutputs: Record<string, RawTensor> | null = null
  for (const { provider, skipped } of providers) {
    if (skipped) {
      console.log(`  ${provider}: skipped (${skipped})`)
      continue
    }
    let sweep: DetectionModel
    try {
      sweep = await loadModel(modelPath, { provider, threads, maxBatchSize: Math.max(...batchSizes) })
    } catch (error) {
      console.log(`  ${provider}: cannot run this model: ${(error as Error).message.split('\n')[0]}`)
      continue
    }
    const inputs: PreparedInput[] = []
    for (const path of paths) inputs.push(prepareImage(await decodeImageFile(path), sweep.config.input))
    const device = sweep.provider.device ?? provider
    try {
      const outputs = await sweep.runRaw([inputs[0]!])
      const difference = provider === 'cpu' ? null : cpuOutputs ? maxDifference(cpuOutputs, outputs) : null
      if (provider === 'cpu') cpuOutputs = outputs
      // What a GPU provider reads back per image (half of it for a float16 graph): the heads' raw maps.
      const outputMiB = Object.values(outputs).reduce((sum, tensor) => sum + tensor.data.byteLength, 0) / 2 ** 20
      const rates: string[] = []
      for (const batch of batchSizes.filter((b) => b <= inputs.length)) rates.push(`${batch}: ${(await ortImagesPerSecond(sweep, inputs, batch)).toFixed(1)}`)
      console.log(
        `  ${provider} (${device}): ORT-only images/s by batch ${rates.join(', ')}; outputs ${outputMiB.toFixed(1)} MiB an image as float32` +
          (difference === null ? '' : `; max |output − CPU's| ${difference.toExponential(2)}`),
      )
    } finally {
      await sweep.close()
    }

    for (const variant of prepareVariants) {
      for (const inferenceThread of threadVariants) await measurePipeline(modelPath, provider, paths, inputs, variant === 'default' ? undefined : Number(variant), inferenceThread)
    }
  }
}

/**
 * The app's own settings (batch size measured at load; preparation workers for the cores left
 * free, or `prepareThreads`) through the whole pipeline, against ORT alone at the same batch.
 */
async function measurePipeline(
  modelPath: string,
  provider: ProviderName,
  paths: string[],
  inputs: PreparedInput[],
  prepareThreads: number | undefined,
  inferenceThread: boolean | undefined,
): Promise<void> {
  const detector = await openDetector({ modelPath, provider, threads, prepareThreads, inferenceThread })
  const baseline = await loadModel(modelPath, { provider, threads, maxBatchSize: detector.model.maxBatchSize })
  try {
    const batch = detector.model.maxBatchSize
    const pipeline = async () => {
      for await (const result of detector.detectFiles(paths)) if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
    }
    const ortOnly = async () => {
      for (let i = 0; i < inputs.length; i += batch) baseline.recycleOutputs(await baseline.runRaw(inputs.slice(i, i + batch)))
    }
    await pipeline()
    await ortOnly()
    const ratios: number[] = []
    const piped: number[] = []
    const ort: number[] = []
    for (let round = 0; round < rounds; round++) {
      let started = performance.now()
      await ortOnly()
      const ortSeconds = (performance.now() - started) / 1000
      started = performance.now()
      await pipeline()
      const pipeSeconds = (performance.now() - started) / 1000
      ort.push(paths.length / ortSeconds)
      piped.push(paths.length / pipeSeconds)
      ratios.push(ortSeconds / pipeSeconds)
    }
    console.log(
      `  ${provider}: batch ${batch} (${provider === 'cpu' ? 'the CPU default' : 'measured at load'}), ${detector.prepareThreads} prepare workers, graph on ${detector.model.inferenceThread ? 'an inference thread' : "the detector's thread"}: pipeline ${median(piped).toFixed(1)} images/s, ` +
        `ORT-only ${median(ort).toFixed(1)} at batch ${batch}, pipeline / ORT-only ${median(ratios).toFixed(3)} (median of ${rounds} rounds)`,
    )
  } finally {
    await detector.close()
    await baseline.close()
  }
}

export async function runProviderBench(imagePaths: (count: number) => Promise<string[]>): Promise<void> {
  const providers = availableProviders()
  const extra = process.env.BENCH_PROVIDER_MODELS?.split(',').filter(Boolean) ?? []
  const models = process.env.BENCH_SKIP_BUNDLED === '1' ? extra : [BUNDLED_MODEL_PATH, ...extra]
  const paths = await imagePaths(imageCount)
  console.log(`\n--- providers: ${imageCount} images 640×480, ${availableParallelism()} cores, CPU provider with ${threads} threads, ${rounds} rounds`)
  for (const model of models) await benchModel(model, providers, paths)
}
