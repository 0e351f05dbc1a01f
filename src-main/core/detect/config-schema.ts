/**
 * The complete model config, as it must look after the preset is merged in (see config.ts).
 * Strict objects: an unknown key is a typo the user wants to hear about.
 */
import { z } from 'zod'
import { PRESET_NAMES } from './presets'

const positive = z.number().positive()
const positiveInt = z.number().int().positive()
const triple = z.tuple([z.number(), z.number(), z.number()])

const classEntry = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), id: z.number().int().nonnegative().optional() }),
  z.null(),
])

const resize = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('torchvision'), minSize: positiveInt, maxSize: positiveInt }),
  z.strictObject({ mode: z.literal('fixed'), width: positiveInt, height: positiveInt }),
  z.strictObject({ mode: z.literal('letterbox'), width: positiveInt, height: positiveInt }),
  z.strictObject({ mode: z.literal('none') }),
])

const input = z.strictObject({
  name: z.string().min(1).nullable(),
  resize,
  channelOrder: z.enum(['RGB', 'BGR']),
  scale: positive,
  mean: triple,
  std: z.tuple([positive, positive, positive]),
  padMultiple: positiveInt,
  padValue: z.number(),
  batchAxis: z.boolean(),
})

const scores = z.enum(['logits', 'probabilities'])
const outputName = z.string().min(1)
const boxFrame = z.enum(['original', 'input'])

const output = z.discriminatedUnion('layout', [
  z.strictObject({ layout: z.literal('concat'), scores, classOutput: outputName, boxOutput: outputName }),
  z.strictObject({ layout: z.literal('per-level'), scores, classOutputs: z.array(outputName), boxOutputs: z.array(outputName) }),
  z.strictObject({ layout: z.literal('end-to-end'), boxesOutput: outputName, scoresOutput: outputName, labelsOutput: outputName, boxFrame }),
  z.strictObject({ layout: z.literal('mmdeploy'), detsOutput: outputName, labelsOutput: outputName, boxFrame }),
])

const anchors = z.strictObject({
  sizes: z.array(z.array(positive).min(1)).min(1),
  aspectRatios: z.array(positive).min(1),
  order: z.enum(['ratio-major', 'scale-major']),
  rounding: z.enum(['half-even', 'none']),
  offset: z.number().min(0).max(1),
  plusOne: z.boolean(),
  strides: z.enum(['derived', 'nominal']),
})

const boxCoder = z.strictObject({
  weights: z.tuple([positive, positive, positive, positive]),
  clamp: z.enum(['upper', 'both', 'none']),
  clampValue: positive,
  plusOne: z.boolean(),
})

const postprocess = z.strictObject({
  decodeCutoff: z.number().min(0).lt(1),
  topKPerLevel: positiveInt,
  nmsIou: z.number().gt(0).max(1),
  maxDetections: positiveInt,
  clip: z.enum(['resized', 'original', 'none']),
  nmsPlusOne: z.boolean(),
})

const score = z.number().gt(0).max(1)

/**
 * The model's operating point: detections scoring at least this become labels of untouched
 * images (the project's default label threshold). Calibrated on held-out data by the model's
 * export script; per class by name where that helps. Absent: 0.5.
 */
const labelThreshold = z.strictObject({
  score,
  perClass: z.record(z.string().min(1), score).optional(),
})

export const completeConfigSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES).nullable(),
  classes: z.array(classEntry).min(1),
  input,
  output,
  anchors,
  boxCoder,
  postprocess,
  labelThreshold: labelThreshold.optional(),
})

export type CompleteConfig = z.infer<typeof completeConfigSchema>
