/**
 * Model config files: `<model>.json` beside `<model>.onnx`, deep-merged over a named preset
 * (objects key by key; arrays and scalars replace; an object whose `mode` or `layout` changes
 * replaces the preset's object whole), then validated into a complete `ModelConfig`.
 * Contract: /work/notes/model-config.md.
 */
import { readFile } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { completeConfigSchema, type CompleteConfig } from './config-schema'
import { ModelConfigError, describeValue, formatIssues } from './config-errors'
import { PRESET_NAMES, isPresetName, presetConfig, type ConfigObject } from './presets'
import { DEFAULT_LABEL_THRESHOLD, type ModelClass, type ModelConfig } from './types'

export { ModelConfigError } from './config-errors'

/** Keys whose change means "a different kind of object", so merging fields would mix two kinds. */
const DISCRIMINATORS = ['mode', 'layout']

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function mergeConfig(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override
  if (DISCRIMINATORS.some((key) => key in override && override[key] !== base[key])) return override
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(override)) merged[key] = mergeConfig(base[key], value)
  return merged
}

function toClasses(entries: CompleteConfig['classes']): { classes: ModelClass[]; problems: string[] } {
  const classes: ModelClass[] = []
  const problems: string[] = []
  const seenIds = new Map<number, number>()
  entries.forEach((entry, index) => {
    if (entry === null) return
    const name = typeof entry === 'string' ? entry : entry.name
    const categoryId = typeof entry === 'string' || entry.id === undefined ? index + 1 : entry.id
    const earlier = seenIds.get(categoryId)
    if (earlier !== undefined) problems.push(`classes[${index}].id: category id ${categoryId} is already used by classes[${earlier}]`)
    seenIds.set(categoryId, index)
    classes.push({ index, name, categoryId })
  })
  if (classes.length === 0) problems.push('classes: expected at least one class that is not null; got only null slots')
  return { classes, problems }
}

/** Checks across fields that a schema of single fields cannot express. */
function crossFieldProblems(config: CompleteConfig): string[] {
  const problems: string[] = []
  const resize = config.input.resize
  if (resize.mode === 'torchvision' && resize.maxSize < resize.minSize) {
    problems.push(`input.resize.maxSize: expected a number ≥ minSize (${resize.minSize}); got ${resize.maxSize}`)
  }
  const perLevel = config.anchors.sizes.map((sizes) => sizes.length)
  if (new Set(perLevel).size > 1) {
    problems.push(`anchors.sizes: every level needs the same number of sizes (one head serves all levels); got ${perLevel.join(', ')}`)
  }
  const output = config.output
  if (output.layout === 'per-level') {
    const levels = config.anchors.sizes.length
    for (const key of ['classOutputs', 'boxOutputs'] as const) {
      const names = output[key]
      const other = key === 'classOutputs' ? output.boxOutputs : output.classOutputs
      if (names.length === 0 && other.length === 0) continue
      if (names.length !== levels) {
        problems.push(`output.${key}: expected ${levels} names (one per level in anchors.sizes), or none for graph order; got ${describeValue(names)}`)
      }
    }
  }
  return problems
}

function toModelConfig(config: CompleteConfig, classes: ModelClass[]): ModelConfig {
  return {
    preset: config.preset,
    classes,
    numClasses: config.classes.length,
    input: config.input,
    output: config.output,
    anchors: config.anchors,
    boxCoder: config.boxCoder,
    postprocess: config.postprocess,
    labelThreshold: {
      score: config.labelThreshold?.score ?? DEFAULT_LABEL_THRESHOLD,
      perClass: { ...config.labelThreshold?.perClass },
    },
  }
}

/**
 * Configs written before `postprocess.decodeCutoff` had its own name call it
 * `postprocess.scoreThreshold` ("score threshold" also named the label threshold); both read the same.
 */
function withCurrentKeys(raw: Record<string, unknown>, source: string): Record<string, unknown> {
  const postprocess = raw.postprocess
  if (!isPlainObject(postprocess) || !('scoreThreshold' in postprocess)) return raw
  const { scoreThreshold, ...rest } = postprocess
  if ('decodeCutoff' in rest && rest.decodeCutoff !== scoreThreshold) {
    throw new ModelConfigError(source, ['postprocess.scoreThreshold: the old name of postprocess.decodeCutoff; give one of them, not both'])
  }
  return { ...raw, postprocess: { decodeCutoff: scoreThreshold, ...rest } }
}

/** Validates parsed JSON (the file's content) into a complete config; `source` names the file in errors. */
export function resolveModelConfig(raw: unknown, source = 'model config'): ModelConfig {
  if (!isPlainObject(raw)) throw new ModelConfigError(source, [`(root): expected a JSON object; got ${describeValue(raw)}`])
  const preset = raw.preset ?? null
  if (preset !== null && !isPresetName(preset)) {
    throw new ModelConfigError(source, [`preset: expected one of ${PRESET_NAMES.join(', ')}; got ${describeValue(preset)}`])
  }
  const base: ConfigObject | Record<string, unknown> = preset === null ? {} : presetConfig(preset)
  const merged = mergeConfig(base, { ...withCurrentKeys(raw, source), preset })
  const parsed = completeConfigSchema.safeParse(merged)
  if (!parsed.success) throw new ModelConfigError(source, formatIssues(parsed.error.issues, merged))
  const { classes, problems } = toClasses(parsed.data.classes)
  problems.push(...crossFieldProblems(parsed.data))
  if (problems.length > 0) throw new ModelConfigError(source, problems)
  return toModelConfig(parsed.data, classes)
}

/** `<dir>/<name>.onnx` -> `<dir>/<name>.json`. */
export function defaultConfigPath(modelPath: string): string {
  const ext = extname(modelPath)
  return join(dirname(modelPath), `${basename(modelPath, ext)}.json`)
}

export async function loadModelConfig(configPath: string): Promise<ModelConfig> {
  let text: string
  try {
    text = await readFile(configPath, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'file not found (a model needs a JSON config beside it, same name, .json)' : String((error as Error).message)
    throw new ModelConfigError(configPath, [reason])
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new ModelConfigError(configPath, [`not valid JSON: ${(error as Error).message}`])
  }
  return resolveModelConfig(raw, configPath)
}
