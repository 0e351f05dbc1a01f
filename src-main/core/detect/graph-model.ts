/**
 * A loaded model as its callers use it (DetectionModel): prepared images are put into one batch
 * tensor, the graph runs, and its outputs come back as float32 for decoding. Where the graph runs
 * is a GraphRunner's business: an ONNX Runtime session on this thread (model.ts) or on an
 * inference thread (inference-thread.ts), so that the images, the batch tensor and the decoding
 * are handled the same way wherever the session lives.
 */
import { decodeOutputs } from './decode/index'
import { toFloat16 } from './float16'
import { BatchMemory, WidenedOutputs } from './run-memory'
import type { Detection, DetectionModel, InputPrecision, ModelConfig, PreparedInput, ProviderReport, RawTensor } from './types'

/** One batch tensor for the graph's input. */
export interface GraphTensor {
  type: InputPrecision
  data: Float32Array | Uint16Array
  dims: number[]
}

/** One graph output as ONNX Runtime returns it (float16 still as its bits). */
export interface GraphOutput {
  name: string
  type: string
  data: RawTensor['data'] | Uint16Array
  dims: readonly number[]
}

export interface GraphRunner {
  /**
   * True when a run takes the tensor's memory away (another thread): the batch tensor is then
   * always a copy, never a prepared image's own memory, and the memory comes back with the outputs.
   */
  readonly takesInput: boolean
  /** One graph run; outputs in the graph's order (the per-level layout may name its maps by position). */
  run(tensor: GraphTensor): Promise<{ outputs: GraphOutput[]; input: ArrayBuffer }>
  close(): Promise<void>
}

/** What loading found out about a model, the same wherever its session lives. */
export interface GraphFacts {
  config: ModelConfig
  provider: ProviderReport
  inputPrecision: InputPrecision
  dynamicBatch: boolean
  maxBatchSize: number
  fixedInputSize: { width: number; height: number } | null
}

export class UnsupportedOutputError extends Error {
  override name = 'UnsupportedOutputError'
}

export class GraphModel implements DetectionModel {
  readonly config: ModelConfig
  readonly provider: ProviderReport
  readonly inputPrecision: InputPrecision
  readonly dynamicBatch: boolean
  /** Changed only while loading, when the batch size is measured. */
  maxBatchSize: number
  readonly fixedInputSize: { width: number; height: number } | null
  private readonly memory = new BatchMemory()
  private readonly widened = new WidenedOutputs()

  constructor(
    facts: GraphFacts,
    private readonly runner: GraphRunner,
  ) {
    this.config = facts.config
    this.provider = facts.provider
    this.inputPrecision = facts.inputPrecision
    this.dynamicBatch = facts.dynamicBatch
    this.maxBatchSize = facts.maxBatchSize
    this.fixedInputSize = facts.fixedInputSize
  }

  get facts(): GraphFacts {
    const { config, provider, inputPrecision, dynamicBatch, maxBatchSize, fixedInputSize } = this
    return { config, provider, inputPrecision, dynamicBatch, maxBatchSize, fixedInputSize }
  }

  async runRaw(inputs: PreparedInput[]): Promise<Record<string, RawTensor>> {
    const { tensor, pooled } = this.batchTensor(inputs)
    const { outputs, input } = await this.runGraph(tensor)
    if (pooled) this.memory.give(input)
    const raw: Record<string, RawTensor> = {}
    for (const output of outputs) raw[output.name] = this.toRawTensor(output)
    return raw
  }

  /** One graph run on a batch tensor made elsewhere (the inference thread's use): outputs as the graph gives them. */
  runGraph(tensor: GraphTensor): Promise<{ outputs: GraphOutput[]; input: ArrayBuffer }> {
    return this.runner.run(tensor)
  }

  /** One graph run over same-sized inputs, then decoding: detections per input, best first. */
  async detect(inputs: PreparedInput[]): Promise<Detection[][]> {
    const outputs = await this.runRaw(inputs)
    const detections = decodeOutputs(outputs, this.config, inputs.map((i) => i.frame))
    this.widened.recycle(outputs)
    return detections
  }

  recycleOutputs(outputs: Record<string, RawTensor>): void {
    this.widened.recycle(outputs)
  }

  close(): Promise<void> {
    return this.runner.close()
  }

  /**
   * The inputs as one tensor. A single image goes in as it is when the runner leaves its memory
   * alone; otherwise the images are copied into memory kept from run to run (`pooled`).
   */
  private batchTensor(inputs: PreparedInput[]): { tensor: GraphTensor; pooled: boolean } {
    if (inputs.length === 0) throw new RangeError('detect needs at least one input')
    if (inputs.length > this.maxBatchSize) throw new RangeError(`this model takes at most ${this.maxBatchSize} inputs per run; got ${inputs.length}`)
    const { paddedWidth: width, paddedHeight: height } = inputs[0]!.frame
    const size = 3 * width * height
    inputs.forEach((input, index) => {
      if (input.frame.paddedWidth !== width || input.frame.paddedHeight !== height) {
        throw new RangeError(`inputs of one batch must share a size: input 0 is ${width}×${height}, input ${index} is ${input.frame.paddedWidth}×${input.frame.paddedHeight}`)
      }
      if (input.data.length !== size) throw new RangeError(`input ${index} has ${input.data.length} values; a 3×${height}×${width} tensor needs ${size}`)
    })
    const dims = this.config.input.batchAxis ? [inputs.length, 3, height, width] : [3, height, width]
    const values = size * inputs.length
    const single = inputs.length === 1 && !this.runner.takesInput ? inputs[0]! : null
    if (this.inputPrecision === 'float16') {
      if (single?.float16) return { tensor: { type: 'float16', data: single.float16, dims }, pooled: false }
      const half = new Uint16Array(this.memory.take(values * 2))
      inputs.forEach((input, index) => {
        const slot = half.subarray(index * size, (index + 1) * size)
        if (input.float16) slot.set(input.float16)
        else toFloat16(input.data, slot)
      })
      return { tensor: { type: 'float16', data: half, dims }, pooled: true }
    }
    if (single) return { tensor: { type: 'float32', data: single.data, dims }, pooled: false }
    const data = new Float32Array(this.memory.take(values * 4))
    inputs.forEach((input, index) => data.set(input.data, index * size))
    return { tensor: { type: 'float32', data, dims }, pooled: true }
  }

  private toRawTensor(output: GraphOutput): RawTensor {
    const { data, dims, name, type } = output
    // Decoding is float32 whatever the graph computes in; float16 widens exactly.
    if (type === 'float16') return { data: this.widened.widen(data as Uint16Array), dims }
    if (data instanceof Float32Array || data instanceof Int32Array || data instanceof BigInt64Array || data instanceof Float64Array) {
      return { data, dims }
    }
    throw new UnsupportedOutputError(`output "${name}" has element type ${type}; expected float32, float64, int32 or int64`)
  }
}
