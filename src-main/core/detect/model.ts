/**
 * Loading a detection model: `<name>.onnx` + its config, a session on the requested provider,
 * the config checked against the graph (declared shapes, then the warm-up run's real shapes),
 * and the GraphModel (graph-model.ts) that batches, runs and decodes on this thread.
 */
import { stat } from 'node:fs/promises'
import * as ort from 'onnxruntime-node'
import { defaultConfigPath, loadModelConfig, ModelConfigError } from './config'
import { fixedPreparedSize, inputProblems, ModelMismatchError, outputProblems, selectInput, type GraphDescription, type GraphValue } from './model-validation'
import { batchCapacity, createSession, type WebGpuLayout } from './session'
import { chooseBatchSize } from './batch-size'
import { GraphModel, type GraphOutput, type GraphRunner } from './graph-model'
import type { InputPrecision, ModelConfig, PreparedInput, ProviderRequest, RawTensor } from './types'

export { ModelMismatchError } from './model-validation'
export type { DetectionModel } from './types'

export interface LoadModelOptions {
  /** Default: the model's path with `.json` instead of `.onnx`. */
  configPath?: string
  provider?: ProviderRequest
  threads?: number
  /** Overrides the config's postprocess.decodeCutoff. */
  decodeCutoff?: number
  /**
   * Most images per graph run when the batch axis is dynamic. Default: 4 on the CPU; on a GPU,
   * the size that measured fastest at load time (see batch-size.ts).
   */
  maxBatchSize?: number
  /** WebGPU only: the layout its convolutions prefer (default NHWC). */
  webGpuLayout?: WebGpuLayout
  /** Run the graph once on zeros before returning (default true): faster first image, real output shapes checked. */
  warmUp?: boolean
  /** Idle ONNX Runtime threads spin-wait (see SessionOptions.spinning); default false. */
  spinning?: boolean
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError'
}

const DEFAULT_DYNAMIC_BATCH = 4
/** The largest batch tried when measuring on a GPU (an H200 gained 0–8 % from 16 to 32). */
const MAX_MEASURED_BATCH = 32
/** Size used for warm-up when neither graph nor config fixes one. */
const WARM_UP_SIDE = 256

function describeGraph(session: ort.InferenceSession): GraphDescription {
  const describe = (m: ort.InferenceSession.ValueMetadata): GraphValue =>
    m.isTensor ? { name: m.name, type: m.type, shape: m.shape } : { name: m.name, type: 'non-tensor', shape: null }
  return { inputs: session.inputMetadata.map(describe), outputs: session.outputMetadata.map(describe) }
}

/** Clear errors for the common cases before ONNX Runtime reads the file itself (by path, so external weight files work). */
async function checkModelFile(modelPath: string): Promise<void> {
  try {
    const info = await stat(modelPath)
    if (!info.isFile()) throw new ModelLoadError(`${modelPath}: not a file`)
    if (info.size === 0) throw new ModelLoadError(`${modelPath}: the file is empty, not an ONNX model`)
  } catch (error) {
    if (error instanceof ModelLoadError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new ModelLoadError(code === 'ENOENT' ? `${modelPath}: model file not found` : `${modelPath}: cannot read the model file: ${(error as Error).message}`)
  }
}

function explainLoadFailure(modelPath: string, error: unknown): ModelLoadError {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^Load model from .*? failed:\s*/, '')
  const hint = /protobuf|parsing|invalid|corrupt|ModelProto/i.test(message) ? ' (the file is not an ONNX model, or it is truncated)' : ''
  return new ModelLoadError(`${modelPath}: ONNX Runtime cannot load the model: ${message}${hint}`)
}

/**
 * Why the first run failed, in words: ONNX Runtime's CPU provider lacks float16 kernels for
 * most operators, so a float16 model there fails only when it runs.
 */
function warmUpFailure(modelPath: string, precision: InputPrecision, providerUsed: string, error: unknown): ModelLoadError {
  const message = error instanceof Error ? error.message : String(error)
  if (precision === 'float16' && providerUsed === 'cpu' && /NOT_IMPLEMENTED|Could not find an implementation|float16|MLFloat16/i.test(message)) {
    return new ModelLoadError(
      `${modelPath}: this model computes in float16, which ONNX Runtime's CPU provider cannot run ` +
        `(${message.split('\n')[0]}); use a GPU provider (webgpu or cuda) or export the model in float32`,
    )
  }
  return new ModelLoadError(`${modelPath}: the warm-up run failed: ${message}`)
}

/**
 * An input of the size most images will have, to measure batches on: the config's fixed size,
 * or for torchvision's resize a 4:3 landscape photo (the common camera shape).
 */
function typicalInput(config: ModelConfig, input: GraphValue): PreparedInput {
  const { resize, padMultiple } = config.input
  if (resize.mode !== 'torchvision') return warmUpInput(config, input)
  const up = (value: number): number => Math.ceil(value / padMultiple) * padMultiple
  const scale = Math.min(resize.minSize / 3, resize.maxSize / 4)
  const width = Math.floor(4 * scale)
  const height = Math.floor(3 * scale)
  const frame = { originalWidth: width, originalHeight: height, resizedWidth: width, resizedHeight: height, paddedWidth: up(width), paddedHeight: up(height) }
  return { data: new Float32Array(3 * frame.paddedWidth * frame.paddedHeight), frame }
}

function warmUpInput(config: ModelConfig, input: GraphValue): PreparedInput {
  const shape = input.shape ?? []
  const fixedHeight = shape[shape.length - 2]
  const fixedWidth = shape[shape.length - 1]
  const prepared = fixedPreparedSize(config)
  const multiple = config.input.padMultiple
  const fallback = Math.ceil(WARM_UP_SIDE / multiple) * multiple
  const height = typeof fixedHeight === 'number' ? fixedHeight : (prepared?.height ?? fallback)
  const width = typeof fixedWidth === 'number' ? fixedWidth : (prepared?.width ?? fallback)
  const frame = { originalWidth: width, originalHeight: height, resizedWidth: width, resizedHeight: height, paddedWidth: width, paddedHeight: height }
  return { data: new Float32Array(3 * width * height), frame }
}

export async function loadModel(modelPath: string, options: LoadModelOptions = {}): Promise<GraphModel> {
  const configPath = options.configPath ?? defaultConfigPath(modelPath)
  const loaded = await loadModelConfig(configPath)
  const threshold = options.decodeCutoff
  if (threshold !== undefined && !(threshold >= 0 && threshold < 1)) {
    throw new ModelConfigError(configPath, [`decodeCutoff override: expected a number ≥ 0 and < 1; got ${threshold}`])
  }
  const config: ModelConfig = threshold === undefined ? loaded : { ...loaded, postprocess: { ...loaded.postprocess, decodeCutoff: threshold } }

  await checkModelFile(modelPath)
  let opened: Awaited<ReturnType<typeof createSession>>
  try {
    opened = await createSession(modelPath, {
      provider: options.provider,
      threads: options.threads,
      spinning: options.spinning,
      webGpuLayout: options.webGpuLayout,
    })
  } catch (error) {
    if (error instanceof Error && error.name === 'ProviderUnavailableError') throw error
    throw explainLoadFailure(modelPath, error)
  }
  const { session, provider } = opened
  const fail = async (problems: string[]): Promise<never> => {
    await session.release()
    throw new ModelMismatchError(modelPath, configPath, problems)
  }

  const graph = describeGraph(session)
  const input = selectInput(config, graph)
  if (typeof input === 'string') return fail([input])
  const declared = [...inputProblems(config, input), ...outputProblems(config, graph)]
  if (declared.length > 0) return fail(declared)

  const precision: InputPrecision = input.type === 'float16' ? 'float16' : 'float32'
  const capacity = config.input.batchAxis ? batchCapacity(session, input.name) : { dynamic: false, fixedSize: 1 }
  if (options.maxBatchSize !== undefined && !(Number.isInteger(options.maxBatchSize) && options.maxBatchSize >= 1)) {
    await session.release()
    throw new RangeError(`maxBatchSize must be a whole number ≥ 1, got ${options.maxBatchSize}`)
  }
  // Until measured (below, on a GPU), a dynamic batch axis takes the CPU's default.
  const maxBatchSize = capacity.fixedSize ?? options.maxBatchSize ?? DEFAULT_DYNAMIC_BATCH
  const shape = input.shape ?? []
  const fixedH = shape[shape.length - 2]
  const fixedW = shape[shape.length - 1]
  const fixedInputSize = typeof fixedH === 'number' && typeof fixedW === 'number' ? { width: fixedW, height: fixedH } : null

  const model = new GraphModel({ config, provider, inputPrecision: precision, dynamicBatch: capacity.dynamic, maxBatchSize, fixedInputSize }, sessionRunner(session, input.name))

  if (options.warmUp ?? true) {
    let outputs: Record<string, RawTensor>
    try {
      outputs = await model.runRaw([warmUpInput(config, input)])
    } catch (error) {
      await session.release()
      throw warmUpFailure(modelPath, precision, provider.used, error)
    }
    const observed: GraphDescription = {
      inputs: graph.inputs,
      outputs: Object.entries(outputs).map(([name, tensor]) => ({ name, type: 'float32', shape: tensor.dims })),
    }
    const problems = outputProblems(config, observed)
    if (problems.length > 0) return fail(problems)
  }

  // A GPU runs several images at once faster than one by one, by how much depends on the GPU and
  // the model: measure it instead of guessing. On the CPU batching gains nothing measurable.
  if (capacity.dynamic && options.maxBatchSize === undefined && provider.used !== 'cpu' && (options.warmUp ?? true)) {
    const sample = typicalInput(config, input)
    model.maxBatchSize = MAX_MEASURED_BATCH // runRaw refuses batches above the current limit
    model.maxBatchSize = await chooseBatchSize((batch) => model.runRaw(Array.from({ length: batch }, () => sample)), {
      maxBatch: MAX_MEASURED_BATCH,
      valuesPerImage: sample.data.length,
    })
  }
  return model
}

/** Graph runs on this thread: onnxruntime-node's run() blocks it while the graph runs. */
function sessionRunner(session: ort.InferenceSession, inputName: string): GraphRunner {
  return {
    takesInput: false,
    async run(tensor) {
      const results = await session.run({ [inputName]: new ort.Tensor(tensor.type, tensor.data, tensor.dims) })
      const outputs = session.outputNames.map((name) => {
        const { type, data, dims } = results[name]!
        return { name, type, data: data as GraphOutput['data'], dims }
      })
      return { outputs, input: tensor.data.buffer as ArrayBuffer }
    },
    close: () => session.release(),
  }
}
