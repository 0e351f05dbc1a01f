/**
 * Presets: complete configs, in the JSON file's shape, for the exports people actually have.
 * A model's JSON is deep-merged over its preset (see config.ts). Sources for each number:
 * /work/shared/RETINANET.md and the frameworks' own code (torchvision 0.14 RetinaNet, NVIDIA
 * ODTK odtk/box.py + the ONNX Model Zoo retinanet-9 card, mmdetection's RetinaNet config).
 */
import { cocoClassesByCategoryId, cocoClassesByPosition } from './coco-categories'

export const PRESET_NAMES = ['torchvision', 'torchvision-per-level', 'retinanet-9', 'torchvision-end-to-end', 'mmdeploy'] as const
export type PresetName = (typeof PRESET_NAMES)[number]

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type ConfigObject = { [key: string]: Json }

const IMAGENET_MEAN = [0.485, 0.456, 0.406]
const IMAGENET_STD = [0.229, 0.224, 0.225]
const PYRAMID_STRIDES = [8, 16, 32, 64, 128]

/** torchvision: (s, int(s·2^(1/3)), int(s·2^(2/3))) for s = 32 … 512. */
export const TORCHVISION_ANCHOR_SIZES: number[][] = [32, 64, 128, 256, 512].map((s) => [s, Math.trunc(s * 2 ** (1 / 3)), Math.trunc(s * 2 ** (2 / 3))])

/** ODTK and mmdetection: octave scales 4·2^(i/3) times the level's stride, kept as floats. */
const OCTAVE_ANCHOR_SIZES: number[][] = PYRAMID_STRIDES.map((stride) => [0, 1, 2].map((i) => 4 * 2 ** (i / 3) * stride))

/** torchvision's BoxCoder default bbox_xform_clip. */
const LOG_1000_OVER_16 = Math.log(1000 / 16)

function torchvision(): ConfigObject {
  return {
    classes: cocoClassesByCategoryId(),
    input: {
      name: null,
      resize: { mode: 'torchvision', minSize: 800, maxSize: 1333 },
      channelOrder: 'RGB',
      scale: 1 / 255,
      mean: IMAGENET_MEAN,
      std: IMAGENET_STD,
      padMultiple: 32,
      padValue: 0,
      batchAxis: true,
    },
    output: { layout: 'concat', scores: 'logits', classOutput: 'cls_logits', boxOutput: 'bbox_regression' },
    anchors: { sizes: TORCHVISION_ANCHOR_SIZES, aspectRatios: [0.5, 1, 2], order: 'ratio-major', rounding: 'half-even', offset: 0, plusOne: false, strides: 'derived' },
    boxCoder: { weights: [1, 1, 1, 1], clamp: 'upper', clampValue: LOG_1000_OVER_16, plusOne: false },
    postprocess: { decodeCutoff: 0.05, topKPerLevel: 1000, nmsIou: 0.5, maxDetections: 300, clip: 'resized', nmsPlusOne: false },
  }
}

function torchvisionPerLevel(): ConfigObject {
  return { ...torchvision(), output: { layout: 'per-level', scores: 'logits', classOutputs: [], boxOutputs: [] } }
}

/** torchvision's full model exported: transform, decoding and NMS inside the graph; input one [3,H,W] image in 0–1. */
function torchvisionEndToEnd(): ConfigObject {
  const base = torchvision()
  return {
    ...base,
    input: { ...(base.input as ConfigObject), resize: { mode: 'none' }, mean: [0, 0, 0], std: [1, 1, 1], padMultiple: 1, batchAxis: false },
    output: { layout: 'end-to-end', boxesOutput: 'boxes', scoresOutput: 'scores', labelsOutput: 'labels', boxFrame: 'original' },
  }
}

/**
 * ONNX Model Zoo retinanet-9 (NVIDIA ODTK export): per-level maps already through the sigmoid,
 * outputs output1..output10 (class maps first, i.e. graph order), scale-major anchors with ratios
 * (1, 2, 0.5) centred on the cell, "+1" widths and NMS areas, no dw/dh clamp, 100 detections.
 * ODTK pads dynamic inputs to multiples of 128, but the zoo graph is a static 1×3×480×640, so the
 * preset letterboxes to exactly that; for a dynamic ODTK export use a torchvision-mode resize
 * with `input.padMultiple: 128`.
 */
function retinanet9(): ConfigObject {
  return {
    classes: cocoClassesByPosition(),
    input: {
      name: null,
      resize: { mode: 'letterbox', width: 640, height: 480 },
      channelOrder: 'RGB',
      scale: 1 / 255,
      mean: IMAGENET_MEAN,
      std: IMAGENET_STD,
      padMultiple: 1,
      padValue: 0,
      batchAxis: true,
    },
    output: { layout: 'per-level', scores: 'probabilities', classOutputs: [], boxOutputs: [] },
    anchors: { sizes: OCTAVE_ANCHOR_SIZES, aspectRatios: [1, 2, 0.5], order: 'scale-major', rounding: 'none', offset: 0.5, plusOne: false, strides: 'nominal' },
    boxCoder: { weights: [1, 1, 1, 1], clamp: 'none', clampValue: LOG_1000_OVER_16, plusOne: true },
    postprocess: { decodeCutoff: 0.05, topKPerLevel: 1000, nmsIou: 0.5, maxDetections: 100, clip: 'resized', nmsPlusOne: true },
  }
}

/**
 * mmdeploy end-to-end RetinaNet: `dets [N,M,5]` + `labels [N,M]`, input already normalized and
 * padded with mmdetection's 0–255 mean/std, boxes in the input tensor's frame. The anchor and
 * coder fields describe mmdetection's RetinaNet for completeness; the graph decodes itself.
 */
function mmdeploy(): ConfigObject {
  return {
    classes: cocoClassesByPosition(),
    input: {
      name: null,
      resize: { mode: 'torchvision', minSize: 800, maxSize: 1333 },
      channelOrder: 'RGB',
      scale: 1,
      mean: [123.675, 116.28, 103.53],
      std: [58.395, 57.12, 57.375],
      padMultiple: 32,
      padValue: 0,
      batchAxis: true,
    },
    output: { layout: 'mmdeploy', detsOutput: 'dets', labelsOutput: 'labels', boxFrame: 'input' },
    anchors: { sizes: OCTAVE_ANCHOR_SIZES, aspectRatios: [0.5, 1, 2], order: 'ratio-major', rounding: 'none', offset: 0, plusOne: false, strides: 'derived' },
    boxCoder: { weights: [1, 1, 1, 1], clamp: 'both', clampValue: LOG_1000_OVER_16, plusOne: false },
    postprocess: { decodeCutoff: 0.05, topKPerLevel: 1000, nmsIou: 0.5, maxDetections: 100, clip: 'resized', nmsPlusOne: false },
  }
}

const PRESETS: Record<PresetName, () => ConfigObject> = {
  torchvision,
  'torchvision-per-level': torchvisionPerLevel,
  'retinanet-9': retinanet9,
  'torchvision-end-to-end': torchvisionEndToEnd,
  mmdeploy,
}

/** A fresh copy of the preset (callers may mutate it). */
export function presetConfig(name: PresetName): ConfigObject {
  return PRESETS[name]()
}

export function isPresetName(value: unknown): value is PresetName {
  return typeof value === 'string' && (PRESET_NAMES as readonly string[]).includes(value)
}
