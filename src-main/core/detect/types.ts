import type { Box } from '../../../src-shared/geometry/box'
/**
 * Types shared by the detection engine's parts: config (config.ts, presets.ts), decoding
 * (decode/), sessions (session.ts, model.ts), preprocessing (preprocess.ts) and the pipeline
 * (detector.ts). A config file on disk is validated into a `ModelConfig`: every field
 * present, every preset default applied.
 */
import type { NamedClassThresholds } from '../../../src-shared/api/label-types'
import type { Said } from '../../../src-shared/messages/said'

export type ResizePolicy =
  /** torchvision's GeneralizedRCNNTransform: scale = min(minSize/short, maxSize/long), floor(side·scale), bilinear, no antialias. */
  | { mode: 'torchvision'; minSize: number; maxSize: number }
  /** Stretch to exactly width × height. */
  | { mode: 'fixed'; width: number; height: number }
  /** Keep the aspect ratio, fit inside width × height, pad the rest (bottom/right) with padValue. */
  | { mode: 'letterbox'; width: number; height: number }
  /** Feed the image at its own size (end-to-end graphs that resize inside). */
  | { mode: 'none' }

export interface InputConfig {
  /** Graph input name; null means the graph's first input. */
  name: string | null
  resize: ResizePolicy
  channelOrder: 'RGB' | 'BGR'
  /** Pixel values 0–255 are multiplied by `scale`, then `(v - mean) / std` per channel (in channelOrder). */
  scale: number
  mean: [number, number, number]
  std: [number, number, number]
  /** Zero-pad bottom/right so both sides are multiples of this (1 = no padding). */
  padMultiple: number
  /** Value of padded pixels after normalization (torchvision pads the normalized tensor with 0). */
  padValue: number
  /** Whether the graph takes a batch axis (`[N,3,H,W]`) or a single image (`[3,H,W]`). */
  batchAxis: boolean
}

export type OutputConfig =
  | { layout: 'concat'; scores: 'logits' | 'probabilities'; classOutput: string; boxOutput: string }
  | {
      layout: 'per-level'
      scores: 'logits' | 'probabilities'
      /** Output names from P3 to P7; empty means "in graph order: the first five are class maps, the next five box maps". */
      classOutputs: string[]
      boxOutputs: string[]
    }
  | { layout: 'end-to-end'; boxesOutput: string; scoresOutput: string; labelsOutput: string; boxFrame: 'original' | 'input' }
  | { layout: 'mmdeploy'; detsOutput: string; labelsOutput: string; boxFrame: 'original' | 'input' }

export interface AnchorConfig {
  /** Anchor sizes per pyramid level (P3..P7), each level's list in generation order. */
  sizes: number[][]
  /** Height / width ratios. */
  aspectRatios: number[]
  /** torchvision: ratio-major (a = ratioIndex·S + sizeIndex); ODTK and detectron2: scale-major. */
  order: 'ratio-major' | 'scale-major'
  /** torchvision rounds base anchors half-to-even; mmdet and detectron2 keep floats. */
  rounding: 'half-even' | 'none'
  /** Cell offset as a fraction of the stride (torchvision 0, mmdet 0, detectron2 0, some 0.5). */
  offset: number
  /** ODTK's "+1" pixel convention for widths/heights. */
  plusOne: boolean
  /**
   * How a level's stride is found. 'derived' (torchvision's AnchorGenerator): padded size //
   * feature size per axis. 'nominal' (ODTK's decode): 8·2^level whatever the input size; the two
   * differ at P6/P7 when the input is not a multiple of 128 (retinanet-9's 480 rows: 60 vs 64).
   */
  strides: 'derived' | 'nominal'
}

export interface BoxCoderConfig {
  weights: [number, number, number, number]
  /** torchvision clamps dw/dh above only; mmdet on both sides; ODTK not at all. */
  clamp: 'upper' | 'both' | 'none'
  clampValue: number
  plusOne: boolean
}

export interface PostprocessConfig {
  decodeCutoff: number
  topKPerLevel: number
  nmsIou: number
  maxDetections: number
  /** Clip boxes to the resized image before rescaling (torchvision), or to the original after (detectron2). */
  clip: 'resized' | 'original' | 'none'
  /** ODTK's "+1" in NMS areas. */
  nmsPlusOne: boolean
}

export interface ModelClass {
  /** The model's label index. */
  index: number
  name: string
  /** Category id for COCO export (defaults to index + 1 when absent). */
  categoryId: number
}

export interface ModelConfig {
  preset: string | null
  /** Label-index-ordered; unused slots (e.g. torchvision COCO's background, "N/A") are omitted. */
  classes: ModelClass[]
  /** The number of class channels the model emits (max label index + 1). */
  numClasses: number
  input: InputConfig
  output: OutputConfig
  anchors: AnchorConfig
  boxCoder: BoxCoderConfig
  postprocess: PostprocessConfig
  /** Where detections become labels; see config-schema.ts. Defaults to DEFAULT_LABEL_THRESHOLD for every class. */
  labelThreshold: LabelThresholdConfig
}

/** By class name; classes not named use `score`. */
export type LabelThresholdConfig = NamedClassThresholds

/** The label threshold of a model config that names none. */
export const DEFAULT_LABEL_THRESHOLD = 0.5

/** The element type of a graph's input; float16 tensors are made from the prepared float32 ones. */
export type InputPrecision = 'float32' | 'float16'

/** A preprocessed image, ready to go into the graph. */
export interface PreparedInput {
  /** Channels-first float tensor data, 3 × paddedHeight × paddedWidth. */
  data: Float32Array
  frame: InputFrame
  /**
   * The same tensor in float16, for a graph that takes float16: converted where the image was
   * prepared (a preparation worker), so the detector's thread, which runs the graph, need not.
   */
  float16?: Uint16Array
}

/** Where an image's pixels sit in the tensor, to map boxes back to the original frame. */
export interface InputFrame {
  /** Displayed (EXIF-oriented) size of the source image. */
  originalWidth: number
  originalHeight: number
  /** Size of the resized image inside the tensor (before padding). */
  resizedWidth: number
  resizedHeight: number
  /** Tensor size after padding. */
  paddedWidth: number
  paddedHeight: number
}

/** A raw output tensor as ONNX Runtime returns it. */
export interface RawTensor {
  data: Float32Array | Int32Array | BigInt64Array | Float64Array
  dims: readonly number[]
}

export interface Detection {
  /** The model's label index (see ModelConfig.classes). */
  classIndex: number
  score: number
  /** [x1, y1, x2, y2] in the displayed (EXIF-oriented) frame of the original image, in pixels. */
  box: Readonly<Box>
}

/** What a caller asks for: `auto` tries CUDA, then a WebGPU adapter that is a real GPU, then the CPU. */
export type ProviderRequest = 'auto' | 'cuda' | 'webgpu' | 'cpu'

/** An execution provider a session can run on. */
export type ProviderName = 'cuda' | 'webgpu' | 'cpu'

/** A faster provider that was not used, and why, in words fit to show a user (`said`: the same as a key of the server catalogue). */
export interface SkippedProvider {
  provider: 'cuda' | 'webgpu'
  reason: string
  said?: Said
}

export interface ProviderReport {
  requested: ProviderRequest
  used: ProviderName
  /**
   * What the graph runs on, in words: "NVIDIA H200 through Vulkan", "Mesa lavapipe (software
   * renderer, on the CPU) through Vulkan", "CPU". Null when unknown.
   */
  device: string | null
  /** The providers tried before the one used, in the order tried, each with its reason. */
  skipped: SkippedProvider[]
  /**
   * The skipped providers' reasons in one line ("CUDA: …; WebGPU: …"), or null when nothing
   * was skipped. What run records store and older callers show.
   */
  fallbackReason: string | null
}

/** A model ready to run: its config checked against the graph, a session on the provider in use. */
export interface DetectionModel {
  readonly config: ModelConfig
  readonly provider: ProviderReport
  /** The element type the graph's input takes (prepared tensors are converted at the boundary). */
  readonly inputPrecision: InputPrecision
  /** Whether the graph's batch axis is symbolic (any N). */
  readonly dynamicBatch: boolean
  /**
   * Most inputs one `detect`/`runRaw` call takes: the graph's fixed batch size, 1 for graphs without
   * a batch axis, else the loader's `maxBatchSize` option (default 4).
   */
  readonly maxBatchSize: number
  /** The graph's fixed input size, when it has one (e.g. ONNX Model Zoo exports). */
  readonly fixedInputSize: { width: number; height: number } | null
  /** One graph run over same-sized inputs, then decoding: detections per input, best first. */
  detect(inputs: PreparedInput[]): Promise<Detection[][]>
  /** The graph run alone, outputs by name in the graph's order (benchmarks, diagnostics). */
  runRaw(inputs: PreparedInput[]): Promise<Record<string, RawTensor>>
  /**
   * Hands back outputs of runRaw the caller is done with, so that their memory serves a later
   * run (float16 models' widened outputs); the caller must not read them afterwards.
   */
  recycleOutputs(outputs: Record<string, RawTensor>): void
  close(): Promise<void>
}
