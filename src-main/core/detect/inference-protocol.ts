/**
 * Messages between inference-thread.ts and inference-worker.ts (structured-cloned plain data;
 * tensors' memory is transferred, never copied), and errors carried across as data.
 */
import { ModelConfigError } from './config-errors'
import type { GraphFacts, GraphOutput, GraphTensor } from './graph-model'
import { ModelLoadError, type LoadModelOptions } from './model'
import { ModelMismatchError } from './model-validation'
import { ProviderUnavailableError } from './session'

export interface InferenceWorkerData {
  modelPath: string
  options: LoadModelOptions
}

export type ToInferenceThread = { kind: 'run'; id: number; tensor: GraphTensor } | { kind: 'close' }

export type FromInferenceThread =
  | { kind: 'loaded'; facts: GraphFacts }
  | { kind: 'load-failed'; error: ErrorData }
  /** `input`: the batch tensor's memory, handed back to be filled again. */
  | { kind: 'ran'; id: number; outputs: GraphOutput[]; input: ArrayBuffer }
  | { kind: 'run-failed'; id: number; error: ErrorData }
  | { kind: 'closed' }

/** An error as data: its class by name, its message, and the fields callers read (problems, said…). */
export interface ErrorData {
  name: string
  message: string
  stack?: string
  fields: Record<string, unknown>
}

/** The errors loading and running can throw, so that a caller sees the same class from either thread. */
const ERROR_CLASSES: Record<string, { prototype: Error }> = {
  ModelConfigError,
  ModelLoadError,
  ModelMismatchError,
  ProviderUnavailableError,
  RangeError,
  TypeError,
}

export function toErrorData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} }
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    try {
      fields[key] = structuredClone(value)
    } catch {
      // A field that cannot cross threads (a function, a handle) is left behind.
    }
  }
  return { name: error.name, message: error.message, stack: error.stack, fields }
}

export function errorFromData(data: ErrorData): Error {
  const error = new Error(data.message)
  const known = ERROR_CLASSES[data.name]
  if (known) Object.setPrototypeOf(error, known.prototype)
  Object.assign(error, data.fields)
  // Set only where the class does not name itself (an unknown class): an own `name` would differ.
  if (error.name !== data.name) error.name = data.name
  if (data.stack) error.stack = data.stack
  return error
}
