/**
 * The files a head fine-tune leaves: `<model>.onnx` (the base graph with the trained head
 * layers, class output widened when classes were added) and `<model>.json`, the base model's
 * config with the classes and the label threshold calibrated on the held-out images, so that
 * `detect --model <model>.onnx` uses it as any model. Both appear only complete (written
 * beside, then renamed).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { defaultConfigPath } from '../detect/config'
import type { ModelConfig } from '../detect/types'
import type { HeadParameters } from './head-parameters'
import { decodeWithHeads, writeHeadWeights } from './onnx/head-editing'
import { encodeOnnxModel } from './onnx/onnx-model'

export interface TrainedModelFiles {
  model: string
  config: string
}

export async function writeTrainedModel(options: {
  baseModelBytes: Uint8Array
  baseConfigPath: string
  baseConfig: ModelConfig
  classNames: string[]
  parameters: HeadParameters
  threshold: number
  out: string
}): Promise<TrainedModelFiles> {
  const { model, heads } = decodeWithHeads(options.baseModelBytes, options.baseConfig.output)
  writeHeadWeights(model, heads, { ...options.parameters, classCount: options.classNames.length }, options.baseConfig.output)
  const rawConfig = JSON.parse(await readFile(options.baseConfigPath, 'utf8')) as Record<string, unknown>
  const config = {
    ...rawConfig,
    classes: trainedClassEntries(rawConfig.classes, options.baseConfig, options.classNames),
    labelThreshold: { score: options.threshold },
  }
  const configPath = defaultConfigPath(options.out)
  await writeAtomically(options.out, encodeOnnxModel(model))
  await writeAtomically(configPath, `${JSON.stringify(config, null, 1)}\n`)
  return { model: options.out, config: configPath }
}

/**
 * The config's class list for the trained model: the base entries kept as written (names,
 * category ids, null slots), padded to the base model's class count, then the new classes with
 * category ids after the highest in use.
 */
export function trainedClassEntries(rawClasses: unknown, baseConfig: ModelConfig, classNames: string[]): unknown[] {
  const entries: unknown[] = Array.isArray(rawClasses) ? [...rawClasses] : baseConfig.classes.map((c) => ({ name: c.name, id: c.categoryId }))
  while (entries.length < baseConfig.numClasses) entries.push(null)
  let nextId = Math.max(0, ...baseConfig.classes.map((c) => c.categoryId)) + 1
  for (const name of classNames.slice(baseConfig.numClasses)) entries.push({ name, id: nextId++ })
  return entries
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const partial = `${path}.partial-${process.pid}`
  try {
    await writeFile(partial, data)
    await rename(partial, path)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
}
