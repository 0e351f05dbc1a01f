/**
 * Reading and writing ONNX model files for the model editor: the protobuf messages decoded
 * with ONNX's own schema (onnx-schema.ts, generated from onnx.proto) by protobufjs, and the
 * few helpers the editor needs on tensors. Messages are edited in place and encoded again;
 * 64-bit integers stay protobufjs Long values so that constants such as INT64_MAX survive.
 */
import protobuf from 'protobufjs'
import { ONNX_SCHEMA } from './onnx-schema'

const root = protobuf.Root.fromJSON(ONNX_SCHEMA as unknown as protobuf.INamespace)
const modelType = root.lookupType('onnx.ModelProto')

/** ONNX TensorProto.DataType values this editor reads or writes. */
export const TensorDataType = { FLOAT: 1, INT64: 7, FLOAT16: 10 } as const

/** An int64 as protobufjs decodes it: a Long, or a number where the value was written by us. */
export type Int64 = number | protobuf.Long

export interface OnnxTensor {
  name: string
  dims: Int64[]
  dataType: number
  rawData?: Uint8Array
  floatData?: number[]
  int64Data?: Int64[]
  dataLocation?: number
}

export interface OnnxAttribute {
  name: string
  type?: number
  i?: Int64
  ints?: Int64[]
  t?: OnnxTensor
}

export interface OnnxNode {
  input: string[]
  output: string[]
  name?: string
  opType: string
  domain?: string
  attribute: OnnxAttribute[]
}

export interface OnnxDimension {
  dimValue?: Int64
  dimParam?: string
}

export interface OnnxValueInfo {
  name: string
  type?: { tensorType?: { elemType?: number; shape?: { dim: OnnxDimension[] } } }
}

export interface OnnxGraph {
  node: OnnxNode[]
  initializer: OnnxTensor[]
  input: OnnxValueInfo[]
  output: OnnxValueInfo[]
  valueInfo: OnnxValueInfo[]
}

export interface OnnxModel {
  irVersion?: Int64
  graph: OnnxGraph
}

export class OnnxModelError extends Error {
  override name = 'OnnxModelError'
}

export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  let model: OnnxModel
  try {
    model = modelType.decode(bytes) as unknown as OnnxModel
  } catch (error) {
    throw new OnnxModelError(`the file is not an ONNX model (${(error as Error).message})`)
  }
  if (!model.graph || model.graph.node.length === 0) throw new OnnxModelError('the ONNX file has no graph')
  for (const tensor of model.graph.initializer) {
    if (tensor.dataLocation === 1) {
      throw new OnnxModelError(`the model keeps weights in external data files (${tensor.name}); save it as one file`)
    }
  }
  return model
}

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  return modelType.encode(modelType.fromObject(model as unknown as Record<string, unknown>)).finish()
}

export function toNumber(value: Int64): number {
  if (typeof value === 'number') return value
  const high = value.unsigned ? value.high >>> 0 : value.high
  return Number((BigInt(high) << 32n) | BigInt(value.low >>> 0))
}

export function tensorDims(tensor: OnnxTensor): number[] {
  return tensor.dims.map(toNumber)
}

/** A float32 tensor's values, from raw_data (little-endian) or float_data. */
export function floatTensorValues(tensor: OnnxTensor): Float32Array {
  if (tensor.dataType !== TensorDataType.FLOAT) {
    throw new OnnxModelError(`tensor ${tensor.name} is not float32 (data type ${tensor.dataType}); export the model in float32 to train it`)
  }
  const count = tensorDims(tensor).reduce((product, dim) => product * dim, 1)
  if (tensor.rawData && tensor.rawData.length > 0) {
    if (tensor.rawData.length !== count * 4) throw new OnnxModelError(`tensor ${tensor.name} holds ${tensor.rawData.length} bytes for ${count} floats`)
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength)
    const values = new Float32Array(count)
    for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true)
    return values
  }
  if (tensor.floatData && tensor.floatData.length === count) return Float32Array.from(tensor.floatData)
  throw new OnnxModelError(`tensor ${tensor.name} has no data`)
}

/** An int64 tensor's values as numbers (for shapes and small constants). */
export function int64TensorValues(tensor: OnnxTensor): number[] {
  if (tensor.dataType !== TensorDataType.INT64) throw new OnnxModelError(`tensor ${tensor.name} is not int64`)
  if (tensor.rawData && tensor.rawData.length > 0) {
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength)
    return Array.from({ length: tensor.rawData.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)))
  }
  return (tensor.int64Data ?? []).map(toNumber)
}

export function floatTensor(name: string, dims: number[], values: Float32Array): OnnxTensor {
  const rawData = new Uint8Array(values.length * 4)
  const view = new DataView(rawData.buffer)
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
  return { name, dims, dataType: TensorDataType.FLOAT, rawData }
}

export function int64Tensor(name: string, values: number[]): OnnxTensor {
  const rawData = new Uint8Array(values.length * 8)
  const view = new DataView(rawData.buffer)
  values.forEach((value, i) => view.setBigInt64(i * 8, BigInt(value), true))
  return { name, dims: [values.length], dataType: TensorDataType.INT64, rawData }
}

/** A float tensor value for a graph's inputs or outputs, every dimension named (dynamic). */
export function dynamicFloatValue(name: string, rank: number): OnnxValueInfo {
  return {
    name,
    type: { tensorType: { elemType: TensorDataType.FLOAT, shape: { dim: Array.from({ length: rank }, (_, i) => ({ dimParam: `${name}_d${i}` })) } } },
  }
}
