/**
 * The model editor on real RetinaNet graphs (the bundled model and the torchvision fixtures):
 * the heads are found, the feature graph runs in ONNX Runtime, the TypeScript head layers
 * reproduce the model's own outputs from those features, and trained weights written back
 * (also with a class added) give a model ONNX Runtime runs with the outputs the TypeScript side
 * computed.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { loadModelConfig } from '../../../src-main/core/detect/config'
import type { ModelConfig } from '../../../src-main/core/detect/types'
import { headLayerForward, type LevelFeatures, levelColumns } from '../../../src-main/core/training/head-layer'
import { cutToFeatures, decodeWithHeads, featureNames, writeHeadWeights } from '../../../src-main/core/training/onnx/head-editing'
import { encodeOnnxModel, floatTensorValues, OnnxModelError } from '../../../src-main/core/training/onnx/onnx-model'
import { seededRandom } from '../../helpers/seeded-random'

const root = resolve(import.meta.dirname, '../../..')
const MODELS = [
  { name: 'bundled', model: 'resources/models/shapes-retinanet.onnx', config: 'resources/models/shapes-retinanet.json' },
  { name: 'torchvision concat', model: 'test/fixtures/models/tiny-concat.onnx', config: 'test/fixtures/models/tiny-concat.json' },
  { name: 'torchvision per level', model: 'test/fixtures/models/tiny-per-level.onnx', config: 'test/fixtures/models/tiny-per-level.json' },
  // torchvision's own R50-FPN graph with generated weights (tools/golden/r50_training_fixture.py).
  { name: 'torchvision R50-FPN', model: 'test/fixtures/models/r50-fpn-generated.onnx', config: 'test/fixtures/models/r50-fpn-generated.json' },
]

function randomImage(height: number, width: number, seed: number): ort.Tensor {
  const random = seededRandom(seed)
  return new ort.Tensor('float32', Float32Array.from({ length: 3 * height * width }, () => random() * 4 - 2), [1, 3, height, width])
}

async function run(bytes: Uint8Array, image: ort.Tensor, inputName: string): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes)
  try {
    return (await session.run({ [inputName]: image })) as Record<string, ort.Tensor>
  } finally {
    await session.release()
  }
}

function asLevelFeatures(tensor: ort.Tensor): LevelFeatures {
  const [, channels, height, width] = tensor.dims as number[]
  return { data: tensor.data as Float32Array, channels: channels!, height: height!, width: width! }
}

/** The model's class (or box) output in the concat layout [anchors × V], whatever its layout. */
function concatOutputs(outputs: Record<string, ort.Tensor>, config: ModelConfig, which: 'class' | 'box', anchorsPerCell: number): Float32Array {
  const output = config.output
  if (output.layout === 'concat') return outputs[which === 'class' ? output.classOutput : output.boxOutput]!.data as Float32Array
  if (output.layout !== 'per-level') throw new Error('unexpected layout')
  const maps = (which === 'class' ? output.classOutputs : output.boxOutputs).map((name) => outputs[name]!)
  const levels = maps.map((map) => {
    const [, channels, height, width] = map.dims as number[]
    return { channels: channels!, height: height!, width: width!, data: map.data as Float32Array }
  })
  const values = levels[0]!.channels / anchorsPerCell
  const out: number[] = []
  for (const level of levels) {
    const plane = level.height * level.width
    for (let cell = 0; cell < plane; cell++) {
      for (let a = 0; a < anchorsPerCell; a++) for (let v = 0; v < values; v++) out.push(level.data[(a * values + v) * plane + cell]!)
    }
  }
  return Float32Array.from(out)
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length)
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!))
  return worst
}

describe.each(MODELS)('head editing on the $name model', ({ model, config: configPath }) => {
  const bytes = readFileSync(resolve(root, model))
  const height = 160
  const width = 224
  const image = randomImage(height, width, 1)

  it('finds both heads and reproduces the outputs from the feature graph in TypeScript', async () => {
    const config = await loadModelConfig(resolve(root, configPath))
    const inputName = config.input.name ?? 'images'
    const { heads } = decodeWithHeads(bytes, config.output)
    expect(heads.anchorsPerCell).toBe(9)
    expect(heads.classCount).toBe(config.numClasses)
    expect(heads.classification.levels).toHaveLength(5)

    const expected = await run(bytes, image, inputName)
    const cut = decodeWithHeads(bytes, config.output)
    const features = await run(encodeOnnxModel(cutToFeatures(cut.model, cut.heads)), image, inputName)
    const names = featureNames(heads)
    const { model: weightsSource } = decodeWithHeads(bytes, config.output)
    const initializer = (name: string): Float32Array => floatTensorValues(weightsSource.graph.initializer.find((t) => t.name === name)!)
    for (const which of ['class', 'box'] as const) {
      const layer = which === 'class' ? heads.classification : heads.boxRegression
      const levelNames = which === 'class' ? names.classification : names.boxRegression
      const columns = levelColumns(levelNames.map((name) => asLevelFeatures(features[name]!)))
      const forward = headLayerForward(columns, initializer(layer.weight), initializer(layer.bias), {
        inChannels: layer.inChannels,
        anchorsPerCell: heads.anchorsPerCell,
        valuesPerAnchor: which === 'class' ? heads.classCount : 4,
      })
      expect(maxDifference(forward, concatOutputs(expected, config, which, heads.anchorsPerCell))).toBeLessThan(1e-4)
    }
  })

  it('writes trained weights, a new class included, into a graph ONNX Runtime runs with the TypeScript outputs', async () => {
    const config = await loadModelConfig(resolve(root, configPath))
    const inputName = config.input.name ?? 'images'
    const { model, heads } = decodeWithHeads(bytes, config.output)
    const random = seededRandom(2)
    const classCount = heads.classCount + 1
    const anchors = heads.anchorsPerCell
    const randomWeights = (length: number): Float32Array => Float32Array.from({ length }, () => (random() - 0.5) * 0.02)
    const weights = {
      classWeight: randomWeights(anchors * classCount * heads.classification.inChannels * 9),
      classBias: Float32Array.from({ length: anchors * classCount }, () => -Math.log(99)),
      boxWeight: randomWeights(anchors * 4 * heads.boxRegression.inChannels * 9),
      boxBias: randomWeights(anchors * 4),
      classCount,
    }
    const widenedConfig: ModelConfig = { ...config, numClasses: classCount }
    const written = encodeOnnxModel(writeHeadWeights(model, heads, weights, config.output))
    const outputs = await run(written, image, inputName)

    const cut = decodeWithHeads(bytes, config.output)
    const features = await run(encodeOnnxModel(cutToFeatures(cut.model, cut.heads)), image, inputName)
    const names = featureNames(heads)
    const classForward = headLayerForward(levelColumns(names.classification.map((n) => asLevelFeatures(features[n]!))), weights.classWeight, weights.classBias, {
      inChannels: heads.classification.inChannels,
      anchorsPerCell: anchors,
      valuesPerAnchor: classCount,
    })
    const boxForward = headLayerForward(levelColumns(names.boxRegression.map((n) => asLevelFeatures(features[n]!))), weights.boxWeight, weights.boxBias, {
      inChannels: heads.boxRegression.inChannels,
      anchorsPerCell: anchors,
      valuesPerAnchor: 4,
    })
    expect(maxDifference(classForward, concatOutputs(outputs, widenedConfig, 'class', anchors))).toBeLessThan(1e-4)
    expect(maxDifference(boxForward, concatOutputs(outputs, widenedConfig, 'box', anchors))).toBeLessThan(1e-4)
  })
})

describe('models the head editor refuses, with the reason', () => {
  it('an end-to-end graph, whose detections are decoded inside', async () => {
    const config = await loadModelConfig(resolve(root, 'test/fixtures/models/tiny-end-to-end.json'))
    expect(() => decodeWithHeads(readFileSync(resolve(root, 'test/fixtures/models/tiny-end-to-end.onnx')), config.output)).toThrow(/raw head outputs/)
  })

  it('a float16 export', async () => {
    const config = await loadModelConfig(resolve(root, 'test/fixtures/models/tiny-concat-fp16.json'))
    expect(() => decodeWithHeads(readFileSync(resolve(root, 'test/fixtures/models/tiny-concat-fp16.onnx')), config.output)).toThrow(OnnxModelError)
  })

  it('a file that is not a model', () => {
    expect(() => decodeWithHeads(new TextEncoder().encode('not a model at all'), { layout: 'concat', scores: 'logits', classOutput: 'a', boxOutput: 'b' })).toThrow(
      OnnxModelError,
    )
  })
})
