/**
 * Does the graph fit its config? Checked once from the graph's declared shapes and again from
 * the real output shapes of the warm-up run (exports often leave dimensions symbolic). Every
 * problem names the config field, what it expects and what the graph has.
 */
import type { ModelConfig } from './types'

/** A declared or observed shape: numbers where known, names (or null) where symbolic. */
export type Shape = ReadonlyArray<number | string | null>

export interface GraphValue {
  name: string
  type: string
  shape: Shape | null
}

export interface GraphDescription {
  inputs: GraphValue[]
  outputs: GraphValue[]
}

export class ModelMismatchError extends Error {
  readonly problems: string[]
  constructor(modelPath: string, configPath: string, problems: string[]) {
    super(`${modelPath} does not fit its config ${configPath}\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ModelMismatchError'
    this.problems = problems
  }
}

const known = (dim: number | string | null | undefined): dim is number => typeof dim === 'number' && dim >= 0
const showShape = (shape: Shape): string => `[${shape.map((d) => (known(d) ? String(d) : (d ?? '?'))).join(', ')}]`

/** The graph input the config feeds. */
export function selectInput(config: ModelConfig, graph: GraphDescription): GraphValue | string {
  const wanted = config.input.name
  const input = wanted === null ? graph.inputs[0] : graph.inputs.find((i) => i.name === wanted)
  if (!input) {
    const names = graph.inputs.map((i) => `"${i.name}"`).join(', ') || 'none'
    return wanted === null ? 'the graph has no inputs' : `input.name: expected a graph input "${wanted}"; the graph's inputs are ${names}`
  }
  return input
}

/** The tensor size the config prepares, when it does not depend on the image. */
export function fixedPreparedSize(config: ModelConfig): { width: number; height: number } | null {
  const { resize, padMultiple } = config.input
  if (resize.mode !== 'fixed' && resize.mode !== 'letterbox') return null
  const up = (value: number): number => Math.ceil(value / padMultiple) * padMultiple
  return { width: up(resize.width), height: up(resize.height) }
}

export function inputProblems(config: ModelConfig, input: GraphValue): string[] {
  const problems: string[] = []
  if (input.type !== 'float32' && input.type !== 'float16') {
    problems.push(`input "${input.name}": expected a float32 or float16 tensor; found ${input.type}`)
  }
  const shape = input.shape
  if (!shape) return problems
  const rank = config.input.batchAxis ? 4 : 3
  if (shape.length !== rank) {
    const expected = config.input.batchAxis ? '[N, 3, H, W] (input.batchAxis true)' : '[3, H, W] (input.batchAxis false)'
    problems.push(`input "${input.name}": expected rank ${rank} ${expected}; found ${showShape(shape)}`)
    return problems
  }
  const offset = rank - 3
  const channels = shape[offset]
  if (known(channels) && channels !== 3) problems.push(`input "${input.name}": expected 3 colour channels; found ${channels} in ${showShape(shape)}`)
  const height = shape[offset + 1]
  const width = shape[offset + 2]
  if (known(height) && known(width)) {
    const prepared = fixedPreparedSize(config)
    if (!prepared) {
      problems.push(
        `input.resize.mode: the graph takes a fixed ${width}×${height} input but "${config.input.resize.mode}" gives image-dependent sizes; ` +
          `use {"mode": "letterbox", "width": ${width}, "height": ${height}} or "fixed"`,
      )
    } else if (prepared.width !== width || prepared.height !== height) {
      problems.push(`input.resize: the graph takes ${width}×${height}; the config prepares ${prepared.width}×${prepared.height} (after padding to input.padMultiple ${config.input.padMultiple})`)
    }
  }
  return problems
}

function requireOutputs(graph: GraphDescription, wanted: Array<[field: string, name: string]>): string[] {
  const available = graph.outputs.map((o) => `"${o.name}"`).join(', ')
  return wanted
    .filter(([, name]) => !graph.outputs.some((o) => o.name === name))
    .map(([field, name]) => `${field}: expected a graph output "${name}"; the graph's outputs are ${available}`)
}

function checkRank(value: GraphValue, rank: number, layout: string, problems: string[]): boolean {
  if (!value.shape) return false
  if (value.shape.length === rank) return true
  problems.push(`output "${value.name}": expected rank ${rank} ${layout}; found ${showShape(value.shape)}`)
  return false
}

function classCountProblem(config: ModelConfig, outputName: string, found: number, how: string): string {
  return (
    `classes: the config lists ${config.numClasses} class slots but output "${outputName}" has ${found} classes${how}; ` +
    `classes must have one entry per model class (use null for unused slots)`
  )
}

function levelNames(config: ModelConfig, graph: GraphDescription): { classNames: string[]; boxNames: string[] } | string {
  const output = config.output
  if (output.layout !== 'per-level') return { classNames: [], boxNames: [] }
  const levels = config.anchors.sizes.length
  if (output.classOutputs.length > 0) return { classNames: output.classOutputs, boxNames: output.boxOutputs }
  const names = graph.outputs.map((o) => o.name)
  if (names.length < 2 * levels) {
    return `output: the per-level layout needs ${levels} class maps then ${levels} box maps in graph order; found ${names.length} outputs (${names.join(', ')})`
  }
  return { classNames: names.slice(0, levels), boxNames: names.slice(levels, 2 * levels) }
}

function perLevelProblems(config: ModelConfig, graph: GraphDescription): string[] {
  const resolved = levelNames(config, graph)
  if (typeof resolved === 'string') return [resolved]
  const { classNames, boxNames } = resolved
  const problems = requireOutputs(graph, [
    ...classNames.map((name, l): [string, string] => [`output.classOutputs[${l}]`, name]),
    ...boxNames.map((name, l): [string, string] => [`output.boxOutputs[${l}]`, name]),
  ])
  if (problems.length > 0) return problems
  const ratios = config.anchors.aspectRatios.length
  classNames.forEach((className, level) => {
    const anchorsPerCell = (config.anchors.sizes[level]?.length ?? 0) * ratios
    const classMap = graph.outputs.find((o) => o.name === className)!
    const boxMap = graph.outputs.find((o) => o.name === boxNames[level])!
    const where = `P${level + 3}`
    if (checkRank(classMap, 4, `(${where} class map [N, A·K, H, W])`, problems) && known(classMap.shape![1])) {
      const channels = classMap.shape![1] as number
      if (channels % anchorsPerCell !== 0) {
        problems.push(
          `anchors: output "${className}" (${where}) has ${channels} channels, not divisible into A·K with A = ${anchorsPerCell} anchors per cell ` +
            `(anchors.sizes[${level}] × anchors.aspectRatios)`,
        )
      } else if (channels / anchorsPerCell !== config.numClasses) {
        problems.push(classCountProblem(config, className, channels / anchorsPerCell, ` (${channels} channels / ${anchorsPerCell} anchors per cell)`))
      }
    }
    if (checkRank(boxMap, 4, `(${where} box map [N, A·4, H, W])`, problems) && known(boxMap.shape![1])) {
      const channels = boxMap.shape![1] as number
      if (channels !== anchorsPerCell * 4) {
        problems.push(`anchors: output "${boxMap.name}" (${where}) has ${channels} channels; expected A·4 = ${anchorsPerCell * 4} for ${anchorsPerCell} anchors per cell`)
      }
    }
  })
  return problems
}

export function outputProblems(config: ModelConfig, graph: GraphDescription): string[] {
  const output = config.output
  const find = (name: string): GraphValue => graph.outputs.find((o) => o.name === name)!
  switch (output.layout) {
    case 'concat': {
      const problems = requireOutputs(graph, [['output.classOutput', output.classOutput], ['output.boxOutput', output.boxOutput]])
      if (problems.length > 0) return problems
      const scores = find(output.classOutput)
      const boxes = find(output.boxOutput)
      if (checkRank(scores, 3, '[N, ΣHWA, K]', problems) && known(scores.shape![2]) && scores.shape![2] !== config.numClasses) {
        problems.push(classCountProblem(config, scores.name, scores.shape![2] as number, ''))
      }
      if (checkRank(boxes, 3, '[N, ΣHWA, 4]', problems) && known(boxes.shape![2]) && boxes.shape![2] !== 4) {
        problems.push(`output "${boxes.name}": expected 4 box deltas per anchor; found ${showShape(boxes.shape!)}`)
      }
      return problems
    }
    case 'per-level':
      return perLevelProblems(config, graph)
    case 'end-to-end':
      return requireOutputs(graph, [['output.boxesOutput', output.boxesOutput], ['output.scoresOutput', output.scoresOutput], ['output.labelsOutput', output.labelsOutput]])
    case 'mmdeploy': {
      const problems = requireOutputs(graph, [['output.detsOutput', output.detsOutput], ['output.labelsOutput', output.labelsOutput]])
      if (problems.length > 0) return problems
      const dets = find(output.detsOutput)
      if (checkRank(dets, 3, '[N, M, 5]', problems) && known(dets.shape![2]) && dets.shape![2] !== 5) {
        problems.push(`output "${dets.name}": expected 5 values per detection (x1, y1, x2, y2, score); found ${showShape(dets.shape!)}`)
      }
      return problems
    }
  }
}
