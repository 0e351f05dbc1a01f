/**
 * Finds the two layers a head fine-tune trains in a RetinaNet graph: the final 3×3
 * convolutions of the classification and box heads. Heads are shared across pyramid levels,
 * so an exported graph holds one such convolution per level, all reading the same weight
 * initializer. They are found by walking back from the model's class and box outputs through
 * the reshapes, transposes and concatenation that only rearrange the maps, and stopping at the
 * first convolution; anything else on that path means the graph is not one this editor knows,
 * and the reason says what was met.
 */
import type { OutputConfig } from '../../detect/types'
import { floatTensorValues, type OnnxGraph, OnnxModelError, type OnnxNode, tensorDims, toNumber } from './onnx-model'

/** Ops that only move values about between a head's last convolution and the output. */
const REARRANGING_OPS = new Set(['Reshape', 'Transpose', 'Flatten', 'Identity', 'Squeeze', 'Unsqueeze', 'Cast'])

export interface HeadLevel {
  /** The tower feature (post-ReLU map) this level's final convolution reads. */
  feature: string
  conv: OnnxNode
}

export interface HeadLayer {
  weight: string
  bias: string
  inChannels: number
  outChannels: number
  /** P3 → P7. */
  levels: HeadLevel[]
}

export interface RetinaNetHeadGraph {
  classification: HeadLayer
  boxRegression: HeadLayer
  anchorsPerCell: number
  classCount: number
}

/** The class and box outputs of a config, per level or concatenated; other layouts cannot be trained. */
export function trainableOutputs(output: OutputConfig): { classOutputs: string[]; boxOutputs: string[] } {
  if (output.layout === 'concat') {
    if (output.scores !== 'logits') throw new OnnxModelError('the model outputs probabilities; training needs a model that outputs logits')
    return { classOutputs: [output.classOutput], boxOutputs: [output.boxOutput] }
  }
  if (output.layout === 'per-level') {
    if (output.scores !== 'logits') throw new OnnxModelError('the model outputs probabilities; training needs a model that outputs logits')
    if (output.classOutputs.length === 0) throw new OnnxModelError('the model config must name its per-level class and box outputs to be trained')
    return { classOutputs: output.classOutputs, boxOutputs: output.boxOutputs }
  }
  throw new OnnxModelError(
    `a model with ${output.layout} outputs has its detections decoded inside the graph; training needs the raw head outputs (export the model with --layout concat)`,
  )
}

export function findRetinaNetHeads(graph: OnnxGraph, outputs: { classOutputs: string[]; boxOutputs: string[] }): RetinaNetHeadGraph {
  const classification = findHeadLayer(graph, outputs.classOutputs, 'class')
  const boxRegression = findHeadLayer(graph, outputs.boxOutputs, 'box')
  if (classification.levels.length !== boxRegression.levels.length) {
    throw new OnnxModelError(`the class head has ${classification.levels.length} levels but the box head ${boxRegression.levels.length}`)
  }
  if (boxRegression.outChannels % 4 !== 0) throw new OnnxModelError(`the box head has ${boxRegression.outChannels} channels, not 4 per anchor`)
  const anchorsPerCell = boxRegression.outChannels / 4
  if (classification.outChannels % anchorsPerCell !== 0) {
    throw new OnnxModelError(`the class head's ${classification.outChannels} channels are not a multiple of ${anchorsPerCell} anchors`)
  }
  return { classification, boxRegression, anchorsPerCell, classCount: classification.outChannels / anchorsPerCell }
}

function findHeadLayer(graph: OnnxGraph, outputNames: string[], what: string): HeadLayer {
  const producers = new Map<string, OnnxNode>()
  for (const node of graph.node) for (const output of node.output) producers.set(output, node)
  const initializers = new Map(graph.initializer.map((tensor) => [tensor.name, tensor]))

  // Levels in output order: for a concatenated output, the Concat's inputs are P3..P7.
  const convs: OnnxNode[] = []
  const visit = (value: string): void => {
    const node = producers.get(value)
    if (!node) throw new OnnxModelError(`the ${what} output ${value} is not computed by a convolution`)
    if (node.opType === 'Conv') {
      if (!convs.includes(node)) convs.push(node)
      return
    }
    if (node.opType === 'Concat') {
      for (const input of node.input) visit(input)
      return
    }
    if (!REARRANGING_OPS.has(node.opType)) {
      throw new OnnxModelError(`between the ${what} head's last convolution and its output there is a ${node.opType} node (${node.name ?? 'unnamed'}); only reshapes may sit there`)
    }
    visit(node.input[0]!)
  }
  for (const name of outputNames) {
    if (!graph.output.some((output) => output.name === name)) throw new OnnxModelError(`the model has no output named ${name}`)
    visit(name)
  }

  const weight = convs[0]?.input[1]
  const bias = convs[0]?.input[2]
  if (!weight || !bias) throw new OnnxModelError(`the ${what} head's last convolution has no bias`)
  const weightTensor = initializers.get(weight)
  if (!weightTensor || !initializers.has(bias)) throw new OnnxModelError(`the ${what} head's weights are not stored in the model (${weight})`)
  for (const conv of convs) {
    if (conv.input[1] !== weight || conv.input[2] !== bias) {
      throw new OnnxModelError(`the ${what} head's levels do not share one convolution (${conv.input[1]} and ${weight}); RetinaNet heads are shared`)
    }
    checkSamePaddedUnitConv(conv, what)
  }
  const [outChannels, inChannels, kernelHeight, kernelWidth] = tensorDims(weightTensor)
  if (kernelHeight !== 3 || kernelWidth !== 3 || outChannels === undefined || inChannels === undefined) {
    throw new OnnxModelError(`the ${what} head's last convolution is ${kernelHeight}×${kernelWidth}, not 3×3`)
  }
  floatTensorValues(weightTensor) // refuses float16 and empty weights with a reason
  return { weight, bias, inChannels, outChannels, levels: convs.map((conv) => ({ feature: conv.input[0]!, conv })) }
}

/** The paper's head convolution: 3×3, stride 1, padding 1, no groups or dilation. */
function checkSamePaddedUnitConv(conv: OnnxNode, what: string): void {
  const ints = (name: string): number[] | undefined => conv.attribute.find((a) => a.name === name)?.ints?.map(toNumber)
  const integer = (name: string): number | undefined => {
    const value = conv.attribute.find((a) => a.name === name)?.i
    return value === undefined ? undefined : toNumber(value)
  }
  const allEqual = (values: number[] | undefined, expected: number): boolean => values === undefined || values.every((v) => v === expected)
  const autoPad = conv.attribute.find((a) => a.name === 'auto_pad')
  const same = allEqual(ints('strides'), 1) && allEqual(ints('dilations'), 1) && (integer('group') ?? 1) === 1
  const padded = autoPad === undefined ? ints('pads')?.every((p) => p === 1) === true : false
  if (!same || !padded) throw new OnnxModelError(`the ${what} head's last convolution is not a stride-1, padding-1 convolution (${conv.name ?? 'unnamed'})`)
}
