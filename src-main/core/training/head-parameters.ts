/**
 * The trained parameters of a head fine-tune: the final class and box convolutions, read from
 * the base graph and, when the project has classes the base model lacks, widened with new
 * class channels started the way the RetinaNet paper starts them (weights ~ N(0, 0.01²), bias
 * −log((1 − π)/π) with π = 0.01, so every anchor begins at "probably nothing").
 */
import type { RetinaNetHeadGraph } from './onnx/head-graph'
import { floatTensorValues, type OnnxModel } from './onnx/onnx-model'

export interface HeadParameters {
  classWeight: Float32Array
  classBias: Float32Array
  boxWeight: Float32Array
  boxBias: Float32Array
}

export const PRIOR_PROBABILITY = 0.01
export const PRIOR_BIAS = -Math.log((1 - PRIOR_PROBABILITY) / PRIOR_PROBABILITY)

export function readHeadParameters(model: OnnxModel, heads: RetinaNetHeadGraph): HeadParameters {
  const value = (name: string): Float32Array => floatTensorValues(model.graph.initializer.find((tensor) => tensor.name === name)!)
  return {
    classWeight: value(heads.classification.weight),
    classBias: value(heads.classification.bias),
    boxWeight: value(heads.boxRegression.weight),
    boxBias: value(heads.boxRegression.bias),
  }
}

/**
 * The class layer with `classCount` classes per anchor: channel a·K + k of the base becomes
 * a·K' + k, and the new classes k ≥ K get fresh channels. `normal` draws N(0, 1) samples.
 */
export function widenClasses(
  parameters: HeadParameters,
  heads: RetinaNetHeadGraph,
  classCount: number,
  normal: () => number,
): HeadParameters {
  const baseCount = heads.classCount
  if (classCount === baseCount) return parameters
  const anchors = heads.anchorsPerCell
  const kernel = heads.classification.inChannels * 9
  const classWeight = new Float32Array(anchors * classCount * kernel)
  const classBias = new Float32Array(anchors * classCount)
  for (let a = 0; a < anchors; a++) {
    for (let k = 0; k < classCount; k++) {
      const channel = a * classCount + k
      if (k < baseCount) {
        const baseChannel = a * baseCount + k
        classWeight.set(parameters.classWeight.subarray(baseChannel * kernel, (baseChannel + 1) * kernel), channel * kernel)
        classBias[channel] = parameters.classBias[baseChannel]!
      } else {
        for (let i = 0; i < kernel; i++) classWeight[channel * kernel + i] = 0.01 * normal()
        classBias[channel] = PRIOR_BIAS
      }
    }
  }
  return { ...parameters, classWeight, classBias }
}

export function cloneParameters(parameters: HeadParameters): HeadParameters {
  return {
    classWeight: parameters.classWeight.slice(),
    classBias: parameters.classBias.slice(),
    boxWeight: parameters.boxWeight.slice(),
    boxBias: parameters.boxBias.slice(),
  }
}

export function zeroParametersLike(parameters: HeadParameters): HeadParameters {
  return {
    classWeight: new Float32Array(parameters.classWeight.length),
    classBias: new Float32Array(parameters.classBias.length),
    boxWeight: new Float32Array(parameters.boxWeight.length),
    boxBias: new Float32Array(parameters.boxBias.length),
  }
}
