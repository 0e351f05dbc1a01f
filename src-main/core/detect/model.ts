/**
 * Loading a detection model: `<name>.onnx` + its config, a session on the requested provider,
 * the config checked against the graph (declared shapes, then the warm-up run's real shapes),
 * and `detect` = one graph run per batch + decoding.
 */
import { stat } from 'node:fs/promises'
import * as ort from 'onnxruntime-node'
import { defaultConfigPath, loadModelConfig, ModelConfigError } from './config'
import { decodeOutputs } from './decode/index'
import { fixedPreparedSize, inputProblems, ModelMismatchError, outputProblems, selectInput, type GraphDescription, type GraphValue } from './model-validation'
import { toFloat16 } from './float16'
import { batchCapacity, createSession, type WebGpuLayout } from './session'
import { chooseBatchSize } from './batch-size'
import { BatchMemory, WidenedOutputs } from './run-memory'
import type { DetectionModel, InputPrecision, ModelConfig, PreparedInput, ProviderRequest, RawTensor } from './types'

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

function toRawTensor(tensor: ort.Tensor, name: string, widened: WidenedOutputs): RawTensor {
  const data = tensor.data
  // Decoding is float32 whatever the graph computes in; float16 widens exactly.
  if (tensor.type === 'float16') return { data: widened.widen(data as Uint16Array), dims: tensor.dims }
  if (data instanceof Float32Array || data instanceof Int32Array || data instanceof BigInt64Array || data instanceof Float64Array) {
    return { data, dims: tensor.dims }
  }
  throw new ModelLoadError(`output "${name}" has element type ${tensor.type}; expected float32, float64, int32 or int64`)
}

function batchTensor(config: ModelConfig, inputs: PreparedInput[], maxBatchSize: number, precision: InputPrecision, memory: BatchMemory): { tensor: ort.Tensor; pooled: boolean } {
  if (inputs.length === 0) throw new RangeError('detect needs at least one input')
  if (inputs.length > maxBatchSize) throw new RangeError(`this model takes at most ${maxBatchSize} inputs per run; got ${inputs.length}`)
  const { paddedWidth: width, paddedHeight: height } = inputs[0]!.frame
  const size = 3 * width * height
  inputs.forEach((input, index) => {
    if (input.frame.paddedWidth !== width || input.frame.paddedHeight !== height) {
      throw new RangeError(`inputs of one batch must share a size: input 0 is ${width}×${height}, input ${index} is ${input.frame.paddedWidth}×${input.frame.paddedHeight}`)
    }
    if (input.data.length !== size) throw new RangeError(`input ${index} has ${input.data.length} values; a 3×${height}×${width} tensor needs ${size}`)
  })
  const dims = config.input.batchAxis ? [inputs.length, 3, height, width] : [3, height, width]
  if (precision === 'float16') {
    if (inputs.length === 1 && inputs[0]!.float16) return { tensor: new ort.Tensor('float16', inputs[0]!.float16, dims), pooled: false }
    const kept = memory.float16(size * inputs.length)
    const half = kept ?? new Uint16Array(size * inputs.length)
    inputs.forEach((input, index) => {
      const slot = half.subarray(index * size, (index + 1) * size)
      if (input.float16) slot.set(input.float16)
      else toFloat16(input.data, slot)
    })
    return { tensor: new ort.Tensor('float16', half, dims), pooled: kept !== null }
  }
  if (inputs.length === 1) return { tensor: new ort.Tensor('float32', inputs[0]!.data, dims), pooled: false }
  const kept = memory.float32(size * inputs.length)
  const data = kept ?? new Float32Array(size * inputs.length)
  inputs.forEach((input, index) => data.set(input.data, index * size))
  return { tensor: new ort.Tensor('float32', data, dims), pooled: kept !== null }
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

export async function loadModel(modelPath: string, options: LoadModelOptions = {}): Promise<DetectionModel> {
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
  let maxBatchSize = capacity.fixedSize ?? options.maxBatchSize ?? DEFAULT_DYNAMIC_BATCH
  const shape = input.shape ?? []
  const fixedH = shape[shape.length - 2]
  const fixedW = shape[shape.length - 1]
  const fixedInputSize = typeof fixedH === 'number' && typeof fixedW === 'number' ? { width: fixedW, height: fixedH } : null

  const memory = new BatchMemory()
  const widened = new WidenedOutputs()
  const runRaw = async (inputs: PreparedInput[]): Promise<Record<string, RawTensor>> => {
    const { tensor, pooled } = batchTensor(config, inputs, maxBatchSize, precision, memory)
    let results: ort.InferenceSession.OnnxValueMapType
    try {
      results = await session.run({ [input.name]: tensor })
    } finally {
      if (pooled) memory.release()
    }
    const outputs: Record<string, RawTensor> = {}
    // Graph order matters: the per-level layout may name its maps by position.
    for (const name of session.outputNames) outputs[name] = toRawTensor(results[name]!, name, widened)
    return outputs
  }

  if (options.warmUp ?? true) {
    let outputs: Record<string, RawTensor>
    try {
      outputs = await runRaw([warmUpInput(config, input)])
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
    maxBatchSize = MAX_MEASURED_BATCH // runRaw refuses batches above the current limit
    maxBatchSize = await chooseBatchSize((batch) => runRaw(Array.from({ length: batch }, () => sample)), {
      maxBatch: MAX_MEASURED_BATCH,
      valuesPerImage: sample.data.length,
    })
  }

  return {
    config,
    provider,
    inputPrecision: precision,
    dynamicBatch: capacity.dynamic,
    maxBatchSize,
    fixedInputSize,
    runRaw,
    recycleOutputs: (outputs) => widened.recycle(outputs),
    async detect(inputs) {
      const outputs = await runRaw(inputs)
      const detections = decodeOutputs(outputs, config, inputs.map((i) => i.frame))
      widened.recycle(outputs)
      return detections
    },
    close: () => session.release(),
  }
}
