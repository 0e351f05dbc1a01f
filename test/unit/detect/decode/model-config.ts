/** A complete ModelConfig for decoder tests: torchvision's conventions, with overrides per test. */
import type { InputFrame, ModelConfig } from '../../../../src-main/core/detect/types'

export const TORCHVISION_SIZES = [32, 64, 128, 256, 512].map((s) => [s, Math.floor(s * 2 ** (1 / 3)), Math.floor(s * 2 ** (2 / 3))])

export function decodeConfig(overrides: {
  numClasses?: number
  output?: ModelConfig['output']
  anchors?: Partial<ModelConfig['anchors']>
  boxCoder?: Partial<ModelConfig['boxCoder']>
  postprocess?: Partial<ModelConfig['postprocess']>
} = {}): ModelConfig {
  return {
    preset: 'torchvision',
    classes: [],
    numClasses: overrides.numClasses ?? 2,
    input: {
      name: null,
      resize: { mode: 'torchvision', minSize: 800, maxSize: 1333 },
      channelOrder: 'RGB',
      scale: 1 / 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      padMultiple: 32,
      padValue: 0,
      batchAxis: true,
    },
    output: overrides.output ?? { layout: 'concat', scores: 'logits', classOutput: 'cls_logits', boxOutput: 'bbox_regression' },
    anchors: { sizes: TORCHVISION_SIZES, aspectRatios: [0.5, 1, 2], order: 'ratio-major', rounding: 'half-even', offset: 0, plusOne: false, strides: 'derived', ...overrides.anchors },
    boxCoder: { weights: [1, 1, 1, 1], clamp: 'upper', clampValue: Math.log(1000 / 16), plusOne: false, ...overrides.boxCoder },
    postprocess: { decodeCutoff: 0.05, topKPerLevel: 1000, nmsIou: 0.5, maxDetections: 300, clip: 'resized', nmsPlusOne: false, ...overrides.postprocess },
    labelThreshold: { score: 0.5, perClass: {} },
  }
}

export function frameOf(original: [number, number], resized: [number, number], padded: [number, number]): InputFrame {
  return {
    originalWidth: original[0],
    originalHeight: original[1],
    resizedWidth: resized[0],
    resizedHeight: resized[1],
    paddedWidth: padded[0],
    paddedHeight: padded[1],
  }
}
