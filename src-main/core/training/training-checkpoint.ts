/**
 * A head fine-tune's checkpoint on disk, written after every epoch: the parameters, momentum,
 * best epoch so far and history, keyed by what was trained (base model, labels, settings), so
 * that a resumed run continues exactly and a run with different inputs never picks up a stale
 * checkpoint. Float arrays are stored as base64 of their little-endian bytes (exact).
 */
import { readFile, rename, writeFile } from 'node:fs/promises'
import type { HeadParameters } from './head-parameters'
import type { TrainingCheckpoint } from './train-heads'

interface StoredCheckpoint {
  format: 'retina-workbench head training checkpoint'
  version: 1
  key: string
  checkpoint: unknown
}

const FORMAT = 'retina-workbench head training checkpoint'

export async function saveCheckpoint(path: string, key: string, checkpoint: TrainingCheckpoint): Promise<void> {
  const stored: StoredCheckpoint = { format: FORMAT, version: 1, key, checkpoint: encode(checkpoint) }
  const partial = `${path}.partial-${process.pid}`
  await writeFile(partial, JSON.stringify(stored))
  await rename(partial, path)
}

/** The checkpoint at `path` if it was made for `key`; null when there is none or it is for other inputs. */
export async function loadCheckpoint(path: string, key: string): Promise<TrainingCheckpoint | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    return null
  }
  try {
    const stored = JSON.parse(text) as StoredCheckpoint
    if (stored.format !== FORMAT || stored.version !== 1 || stored.key !== key) return null
    return decode(stored.checkpoint) as TrainingCheckpoint
  } catch {
    return null
  }
}

const PARAMETER_KEYS = ['classWeight', 'classBias', 'boxWeight', 'boxBias'] as const

function encodeParameters(parameters: HeadParameters): Record<string, string> {
  return Object.fromEntries(PARAMETER_KEYS.map((key) => [key, Buffer.from(parameters[key].buffer, parameters[key].byteOffset, parameters[key].byteLength).toString('base64')]))
}

function decodeParameters(stored: Record<string, string>): HeadParameters {
  const floats = (text: string): Float32Array => {
    const bytes = Buffer.from(text, 'base64')
    const copy = new Uint8Array(bytes.length)
    copy.set(bytes)
    return new Float32Array(copy.buffer)
  }
  return {
    classWeight: floats(stored.classWeight!),
    classBias: floats(stored.classBias!),
    boxWeight: floats(stored.boxWeight!),
    boxBias: floats(stored.boxBias!),
  }
}

function encode(checkpoint: TrainingCheckpoint): unknown {
  return {
    ...checkpoint,
    parameters: encodeParameters(checkpoint.parameters),
    velocity: encodeParameters(checkpoint.velocity),
    best: checkpoint.best && { ...checkpoint.best, parameters: encodeParameters(checkpoint.best.parameters) },
  }
}

function decode(stored: unknown): TrainingCheckpoint {
  const value = stored as TrainingCheckpoint & { parameters: Record<string, string>; velocity: Record<string, string>; best: { parameters: Record<string, string> } | null }
  return {
    ...value,
    parameters: decodeParameters(value.parameters),
    velocity: decodeParameters(value.velocity),
    best: value.best && { ...(value.best as unknown as NonNullable<TrainingCheckpoint['best']>), parameters: decodeParameters(value.best.parameters) },
  }
}
