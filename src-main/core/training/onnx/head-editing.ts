/**
 * The two graph edits a head fine-tune needs, made on a decoded copy of the base model:
 *
 * - a feature model: the base graph cut so that its outputs are the tower features the final
 *   head convolutions read (P3→P7, class tower then box tower), which ONNX Runtime computes
 *   for the training images while the TypeScript side trains the last layers;
 * - the trained model: the base graph with the final convolutions' weights replaced and, when
 *   the project adds classes, the class output widened to the new class count.
 */
import { findRetinaNetHeads, type RetinaNetHeadGraph, trainableOutputs } from './head-graph'
import {
  decodeOnnxModel,
  dynamicFloatValue,
  floatTensor,
  int64Tensor,
  type OnnxGraph,
  type OnnxModel,
  OnnxModelError,
  type OnnxNode,
} from './onnx-model'
import type { OutputConfig } from '../../detect/types'

export interface HeadWeights {
  /** [A·K × C × 3 × 3] */
  classWeight: Float32Array
  /** [A·K] */
  classBias: Float32Array
  /** [A·4 × C × 3 × 3] */
  boxWeight: Float32Array
  /** [A·4] */
  boxBias: Float32Array
  classCount: number
}

export interface DecodedHeads {
  model: OnnxModel
  heads: RetinaNetHeadGraph
}

export function decodeWithHeads(bytes: Uint8Array, output: OutputConfig): DecodedHeads {
  const model = decodeOnnxModel(bytes)
  return { model, heads: findRetinaNetHeads(model.graph, trainableOutputs(output)) }
}

/** Output names of the feature model, in the order featureModel lists them. */
export function featureNames(heads: RetinaNetHeadGraph): { classification: string[]; boxRegression: string[] } {
  return {
    classification: heads.classification.levels.map((level) => level.feature),
    boxRegression: heads.boxRegression.levels.map((level) => level.feature),
  }
}

/** Makes `model` (edited in place) output the tower features instead of the detections. */
export function cutToFeatures(model: OnnxModel, heads: RetinaNetHeadGraph): OnnxModel {
  const names = featureNames(heads)
  model.graph.output = [...names.classification, ...names.boxRegression].map((name) => dynamicFloatValue(name, 4))
  pruneUnused(model.graph)
  return model
}

/** Writes trained head weights into `model` (edited in place), widening the class output if the class count grew. */
export function writeHeadWeights(model: OnnxModel, heads: RetinaNetHeadGraph, weights: HeadWeights, output: OutputConfig): OnnxModel {
  const graph = model.graph
  const anchors = heads.anchorsPerCell
  const inChannels = heads.classification.inChannels
  if (weights.classCount < heads.classCount) throw new OnnxModelError('a trained head cannot have fewer classes than its base model')
  expectLength(weights.classWeight, anchors * weights.classCount * inChannels * 9, 'class weight')
  expectLength(weights.classBias, anchors * weights.classCount, 'class bias')
  expectLength(weights.boxWeight, anchors * 4 * heads.boxRegression.inChannels * 9, 'box weight')
  expectLength(weights.boxBias, anchors * 4, 'box bias')
  replaceInitializer(graph, heads.classification.weight, [anchors * weights.classCount, inChannels, 3, 3], weights.classWeight)
  replaceInitializer(graph, heads.classification.bias, [anchors * weights.classCount], weights.classBias)
  replaceInitializer(graph, heads.boxRegression.weight, [anchors * 4, heads.boxRegression.inChannels, 3, 3], weights.boxWeight)
  replaceInitializer(graph, heads.boxRegression.bias, [anchors * 4], weights.boxBias)
  if (weights.classCount !== heads.classCount) widenClassOutputs(graph, heads, weights.classCount, output)
  return model
}

function expectLength(values: Float32Array, expected: number, what: string): void {
  if (values.length !== expected) throw new OnnxModelError(`the ${what} has ${values.length} values, the graph needs ${expected}`)
}

function replaceInitializer(graph: OnnxGraph, name: string, dims: number[], values: Float32Array): void {
  const index = graph.initializer.findIndex((tensor) => tensor.name === name)
  if (index < 0) throw new OnnxModelError(`the model has no initializer ${name}`)
  graph.initializer[index] = floatTensor(name, dims, values)
  // A graph may also list initializers among its inputs (older exporters); keep their shapes true.
  const input = graph.input.find((value) => value.name === name)
  const shape = input?.type?.tensorType?.shape
  if (shape) shape.dim = dims.map((dim) => ({ dimValue: dim }))
}

/**
 * A per-level class map is the convolution's output itself, so wider weights are enough. A
 * concatenated output was reshaped with the old class count baked in, so its rearranging nodes
 * are rebuilt: per level Reshape [N, A, K, H·W] → Transpose [N, H·W, A, K] → Reshape [N, H·W·A, K],
 * then Concat over levels, which is torchvision's anchor order n = (y·W + x)·A + a.
 */
function widenClassOutputs(graph: OnnxGraph, heads: RetinaNetHeadGraph, classCount: number, output: OutputConfig): void {
  if (output.layout === 'per-level') {
    for (const name of output.classOutputs) clearStaticShape(graph, name)
    return
  }
  if (output.layout !== 'concat') throw new OnnxModelError(`cannot widen ${output.layout} outputs`)
  const outputName = output.classOutput
  const producer = graph.node.find((node) => node.output.includes(outputName))
  if (producer) producer.output = producer.output.map((name) => (name === outputName ? `${name}__replaced` : name))
  const perLevelShape = `widened_classes/per_level_shape`
  const flatShape = `widened_classes/flat_shape`
  graph.initializer.push(int64Tensor(perLevelShape, [0, heads.anchorsPerCell, classCount, -1]))
  graph.initializer.push(int64Tensor(flatShape, [0, -1, classCount]))
  const levelOutputs: string[] = []
  heads.classification.levels.forEach((level, index) => {
    const convOutput = level.conv.output[0]!
    const prefix = `widened_classes/level_${index}`
    graph.node.push(
      node('Reshape', [convOutput, perLevelShape], [`${prefix}/grouped`], `${prefix}/Reshape`),
      node('Transpose', [`${prefix}/grouped`], [`${prefix}/cells_first`], `${prefix}/Transpose`, [{ name: 'perm', type: 7, ints: [0, 3, 1, 2] }]),
      node('Reshape', [`${prefix}/cells_first`, flatShape], [`${prefix}/flat`], `${prefix}/Flatten`),
    )
    levelOutputs.push(`${prefix}/flat`)
  })
  graph.node.push(node('Concat', levelOutputs, [outputName], 'widened_classes/Concat', [{ name: 'axis', type: 2, i: 1 }]))
  clearStaticShape(graph, outputName)
  pruneUnused(graph)
}

function node(opType: string, input: string[], output: string[], name: string, attribute: OnnxNode['attribute'] = []): OnnxNode {
  return { opType, input, output, name, attribute }
}

/** The output's declared class dimension changed; declare every dimension dynamic. */
function clearStaticShape(graph: OnnxGraph, name: string): void {
  const index = graph.output.findIndex((value) => value.name === name)
  const rank = graph.output[index]?.type?.tensorType?.shape?.dim.length ?? 3
  if (index >= 0) graph.output[index] = dynamicFloatValue(name, rank)
  graph.valueInfo = graph.valueInfo.filter((value) => value.name !== name)
}

/** Drops nodes and initializers no graph output depends on (ONNX Runtime would skip them anyway; the file gets smaller). */
function pruneUnused(graph: OnnxGraph): void {
  const producers = new Map<string, OnnxNode>()
  for (const n of graph.node) for (const value of n.output) producers.set(value, n)
  const needed = new Set<string>()
  const kept = new Set<OnnxNode>()
  const stack = graph.output.map((value) => value.name)
  while (stack.length > 0) {
    const value = stack.pop()!
    if (needed.has(value)) continue
    needed.add(value)
    const producer = producers.get(value)
    if (producer && !kept.has(producer)) {
      kept.add(producer)
      stack.push(...producer.input.filter((input) => input !== ''), ...subgraphInputs(producer))
    }
  }
  const initializerNames = new Set(graph.initializer.map((tensor) => tensor.name))
  graph.node = graph.node.filter((n) => kept.has(n))
  graph.initializer = graph.initializer.filter((tensor) => needed.has(tensor.name))
  graph.valueInfo = graph.valueInfo.filter((value) => needed.has(value.name))
  // Real inputs (the image) stay even if unused; initializers listed as inputs go with their initializer.
  graph.input = graph.input.filter((value) => needed.has(value.name) || !initializerNames.has(value.name))
}

/** Values a node's subgraphs (If / Loop bodies) read from the outer graph, conservatively: all their inputs. */
function subgraphInputs(n: OnnxNode): string[] {
  const graphs = (n.attribute as Array<{ g?: OnnxGraph; graphs?: OnnxGraph[] }>).flatMap((a) => [a.g, ...(a.graphs ?? [])])
  return graphs.flatMap((g) => (g ? g.node.flatMap((inner) => [...inner.input, ...subgraphInputs(inner)]) : []))
}
