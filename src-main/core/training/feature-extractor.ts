/**
 * Computes the frozen part of the base model for the head trainer: the graph cut at the final
 * head convolutions' inputs (onnx/head-editing.ts), run by ONNX Runtime on each training image
 * as the detector would prepare it, optionally flipped and at a jittered scale.
 */
import * as ort from 'onnxruntime-node'
import { decodeImageFile, type DecodedImage } from '../images/decode-image'
import { prepareImage } from '../detect/preprocess'
import type { InputConfig, ModelConfig, ResizePolicy } from '../detect/types'
import type { LevelFeatures } from './head-layer'
import { cutToFeatures, decodeWithHeads, featureNames } from './onnx/head-editing'
import type { RetinaNetHeadGraph } from './onnx/head-graph'
import { encodeOnnxModel } from './onnx/onnx-model'
import { type Augmentation, anchorsFor, type LabelledImage, targetsInFrame, type TrainingExample } from './training-example'

/** The same cap on decoded pixels the detector uses for untrusted images. */
const MAX_PIXELS = 100_000_000

export class FeatureExtractor {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly heads: RetinaNetHeadGraph,
    private readonly config: ModelConfig,
    private readonly inputName: string,
  ) {}

  static async open(modelBytes: Uint8Array, config: ModelConfig, threads?: number): Promise<FeatureExtractor> {
    const { model, heads } = decodeWithHeads(modelBytes, config.output)
    const cut = encodeOnnxModel(cutToFeatures(model, heads))
    const session = await ort.InferenceSession.create(cut, {
      executionProviders: ['cpu'],
      ...(threads ? { intraOpNumThreads: threads } : {}),
    })
    return new FeatureExtractor(session, heads, config, config.input.name ?? session.inputNames[0]!)
  }

  async release(): Promise<void> {
    await this.session.release()
  }

  async decode(path: string): Promise<DecodedImage> {
    return decodeImageFile(path, { maxPixels: MAX_PIXELS })
  }

  async extract(image: LabelledImage, decoded: DecodedImage, augmentation: Augmentation): Promise<TrainingExample> {
    const source = augmentation.flip ? flipHorizontally(decoded) : decoded
    const input = scaledInput(this.config.input, augmentation.scale)
    const prepared = prepareImage(source, input)
    const { frame } = prepared
    const dims = input.batchAxis ? [1, 3, frame.paddedHeight, frame.paddedWidth] : [3, frame.paddedHeight, frame.paddedWidth]
    const outputs = await this.session.run({ [this.inputName]: new ort.Tensor('float32', prepared.data, dims) })
    const names = featureNames(this.heads)
    const level = (name: string): LevelFeatures => {
      const tensor = outputs[name]!
      const [, channels, height, width] = tensor.dims as number[]
      return { data: tensor.data as Float32Array, channels: channels!, height: height!, width: width! }
    }
    const classFeatures = names.classification.map(level)
    const boxFeatures = names.boxRegression.map(level)
    return {
      classFeatures,
      boxFeatures,
      anchors: anchorsFor(frame, classFeatures, this.config.anchors),
      targets: targetsInFrame(image, frame, augmentation.flip),
      frame,
    }
  }
}

/** The model's input config with its resize scaled (scale jitter); other resize modes keep their size. */
export function scaledInput(input: InputConfig, scale: number): InputConfig {
  if (scale === 1) return input
  const resize: ResizePolicy =
    input.resize.mode === 'torchvision'
      ? { mode: 'torchvision', minSize: Math.round(input.resize.minSize * scale), maxSize: Math.round(input.resize.maxSize * scale) }
      : input.resize
  return { ...input, resize }
}

export function flipHorizontally(image: DecodedImage): DecodedImage {
  const { width, height } = image
  const data = new Uint8Array(image.data.length)
  for (let y = 0; y < height; y++) {
    const row = y * width * 3
    for (let x = 0; x < width; x++) {
      const from = row + x * 3
      const to = row + (width - 1 - x) * 3
      data[to] = image.data[from]!
      data[to + 1] = image.data[from + 1]!
      data[to + 2] = image.data[from + 2]!
    }
  }
  return { ...image, data }
}
