import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ModelConfigError } from '../../../src-main/core/detect/config'
import { loadModel, ModelLoadError, ModelMismatchError } from '../../../src-main/core/detect/model'
import type { DetectionModel, PreparedInput } from '../../../src-main/core/detect/types'

const MODELS = join(import.meta.dirname, '..', '..', 'fixtures', 'models')
const model = (name: string): string => join(MODELS, `${name}.onnx`)
let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'detect-model-'))
})

async function configFile(name: string, config: unknown): Promise<string> {
  const path = join(dir, `${name}.json`)
  await writeFile(path, JSON.stringify(config))
  return path
}

async function mismatchProblems(modelName: string, config: unknown): Promise<string[]> {
  const configPath = await configFile(`${modelName}-${Math.random().toString(36).slice(2)}`, config)
  const error = await loadModel(model(modelName), { configPath, provider: 'cpu' }).then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ModelMismatchError)
  expect((error as Error).message).toContain(`does not fit its config ${configPath}`)
  return (error as ModelMismatchError).problems
}

const fiveClasses = ['circle', 'square', 'triangle', 'star', 'cross']
const tinyResize = { mode: 'torchvision', minSize: 256, maxSize: 320 }

function zeros(width: number, height: number): PreparedInput {
  const frame = { originalWidth: width, originalHeight: height, resizedWidth: width, resizedHeight: height, paddedWidth: width, paddedHeight: height }
  return { data: new Float32Array(3 * width * height), frame }
}

describe('a model that does not fit its config says what was expected and found', () => {
  it('wrong class count (concat)', async () => {
    expect(await mismatchProblems('tiny-concat', { preset: 'torchvision', classes: ['a', 'b', 'c'] })).toEqual([
      'classes: the config lists 3 class slots but output "cls_logits" has 5 classes; classes must have one entry per model class (use null for unused slots)',
    ])
  })

  it('wrong class count (per-level)', async () => {
    const problems = await mismatchProblems('tiny-per-level', { preset: 'torchvision-per-level', classes: ['a', 'b', 'c', 'd'] })
    expect(problems).toHaveLength(5)
    expect(problems[0]).toBe(
      'classes: the config lists 4 class slots but output "cls_p3" has 5 classes (45 channels / 9 anchors per cell); classes must have one entry per model class (use null for unused slots)',
    )
  })

  it('a missing output', async () => {
    expect(await mismatchProblems('tiny-concat', { preset: 'torchvision', classes: fiveClasses, output: { classOutput: 'scores' } })).toEqual([
      'output.classOutput: expected a graph output "scores"; the graph\'s outputs are "cls_logits", "bbox_regression"',
    ])
  })

  it('a layout the graph does not have', async () => {
    const problems = await mismatchProblems('tiny-per-level', { preset: 'torchvision', classes: fiveClasses })
    expect(problems).toEqual([
      expect.stringMatching(/^output.classOutput: expected a graph output "cls_logits"; the graph's outputs are "cls_p3", .*"box_p7"$/),
      expect.stringMatching(/^output.boxOutput: expected a graph output "bbox_regression"/),
    ])
  })

  it('channels that do not divide into anchors × classes', async () => {
    const problems = await mismatchProblems('tiny-per-level', { preset: 'torchvision-per-level', classes: fiveClasses, anchors: { aspectRatios: [1, 2] } })
    expect(problems).toContain(
      'anchors: output "cls_p3" (P3) has 45 channels, not divisible into A·K with A = 6 anchors per cell (anchors.sizes[0] × anchors.aspectRatios)',
    )
    expect(problems).toContain('anchors: output "box_p3" (P3) has 36 channels; expected A·4 = 24 for 6 anchors per cell')
  })

  it('an input of the wrong rank', async () => {
    const problems = await mismatchProblems('tiny-end-to-end', { preset: 'torchvision-end-to-end', classes: fiveClasses, input: { batchAxis: true } })
    expect(problems).toEqual(['input "images": expected rank 4 [N, 3, H, W] (input.batchAxis true); found [3, height, width]'])
  })

  it('a fixed-size graph and a config that prepares another size', async () => {
    expect(await mismatchProblems('tiny-odtk', { preset: 'retinanet-9', classes: fiveClasses })).toEqual([
      'input.resize: the graph takes 384×256; the config prepares 640×480 (after padding to input.padMultiple 1)',
    ])
    expect(await mismatchProblems('tiny-odtk', { preset: 'retinanet-9', classes: fiveClasses, input: { resize: tinyResize } })).toEqual([
      'input.resize.mode: the graph takes a fixed 384×256 input but "torchvision" gives image-dependent sizes; use {"mode": "letterbox", "width": 384, "height": 256} or "fixed"',
    ])
  })

  it('an input name the graph does not have', async () => {
    expect(await mismatchProblems('tiny-concat', { preset: 'torchvision', classes: fiveClasses, input: { name: 'image' } })).toEqual([
      'input.name: expected a graph input "image"; the graph\'s inputs are "images"',
    ])
  })
})

describe('files that are not a usable model', () => {
  const goodConfig = { preset: 'torchvision', classes: fiveClasses }

  it.each([
    ['not an ONNX file', 'text', /: ONNX Runtime cannot load the model: .*\(the file is not an ONNX model, or it is truncated\)$/],
    ['a truncated ONNX file', 'truncated', /: ONNX Runtime cannot load the model: .*\(the file is not an ONNX model, or it is truncated\)$/],
    ['an empty file', 'empty', /: the file is empty, not an ONNX model$/],
  ])('%s', async (_, kind, message) => {
    const path = join(dir, `${kind}.onnx`)
    const bytes = await readFile(model('tiny-concat'))
    await writeFile(path, kind === 'text' ? 'name,score\ncircle,0.9\n' : kind === 'truncated' ? bytes.subarray(0, bytes.length >> 1) : '')
    await writeFile(join(dir, `${kind}.json`), JSON.stringify(goodConfig))
    const error = await loadModel(path, { provider: 'cpu' }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ModelLoadError)
    expect((error as Error).message).toMatch(message)
  })

  it('a missing model file', async () => {
    const configPath = await configFile('missing-model', goodConfig)
    await expect(loadModel(join(dir, 'nowhere.onnx'), { configPath })).rejects.toThrow(/nowhere\.onnx: model file not found$/)
  })

  it('a model without its config beside it', async () => {
    const path = join(dir, 'lonely.onnx')
    await copyFile(model('tiny-concat'), path)
    const error = await loadModel(path).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ModelConfigError)
    expect((error as Error).message).toContain('lonely.json: invalid model config\n  - file not found')
  })
})

describe('a loaded model', () => {
  let concat: DetectionModel

  beforeAll(async () => {
    concat = await loadModel(model('tiny-concat'), { provider: 'cpu', threads: 1 })
  })
  afterAll(async () => {
    await concat.close()
  })

  it('reads its config from the JSON beside it and reports provider and batch capacity', () => {
    expect(concat.config.classes.map((c) => c.name)).toEqual(fiveClasses)
    expect(concat.config.input.resize).toEqual(tinyResize)
    expect(concat.provider).toEqual({ requested: 'cpu', used: 'cpu', device: 'CPU', skipped: [], fallbackReason: null })
    expect(concat.dynamicBatch).toBe(true)
    expect(concat.maxBatchSize).toBe(4)
    expect(concat.fixedInputSize).toBeNull()
  })

  it('runRaw returns the graph outputs by name, in graph order', async () => {
    const outputs = await concat.runRaw([zeros(320, 256), zeros(320, 256)])
    expect(Object.keys(outputs)).toEqual(['cls_logits', 'bbox_regression'])
    // ΣHWA for 256×320: (32·40 + 16·20 + 8·10 + 4·5 + 2·3) · 9
    expect(outputs.cls_logits!.dims).toEqual([2, 15354, 5])
    expect(outputs.bbox_regression!.dims).toEqual([2, 15354, 4])
  })

  it('refuses batches it cannot run, and stays usable', async () => {
    await expect(concat.detect([])).rejects.toThrow('detect needs at least one input')
    await expect(concat.detect([zeros(320, 256), zeros(256, 320)])).rejects.toThrow(
      'inputs of one batch must share a size: input 0 is 320×256, input 1 is 256×320',
    )
    await expect(concat.detect(Array.from({ length: 5 }, () => zeros(64, 64)))).rejects.toThrow('this model takes at most 4 inputs per run; got 5')
    const short = { ...zeros(64, 64), data: new Float32Array(10) }
    await expect(concat.detect([short])).rejects.toThrow('input 0 has 10 values; a 3×64×64 tensor needs 12288')
    expect(await concat.detect([zeros(64, 64)])).toHaveLength(1)
  })
})

describe('load options', () => {
  it('refuses a batch limit that is not a whole number of at least one', async () => {
    await expect(loadModel(model('tiny-concat'), { provider: 'cpu', maxBatchSize: 0 })).rejects.toThrow('maxBatchSize must be a whole number ≥ 1, got 0')
    await expect(loadModel(model('tiny-concat'), { provider: 'cpu', maxBatchSize: 2.5 })).rejects.toThrow('maxBatchSize must be a whole number ≥ 1, got 2.5')
  })

  it('decodeCutoff overrides the config, and is checked', async () => {
    const strict = await loadModel(model('tiny-concat'), { provider: 'cpu', decodeCutoff: 0.4, maxBatchSize: 2 })
    expect(strict.config.postprocess.decodeCutoff).toBe(0.4)
    expect(strict.maxBatchSize).toBe(2)
    const [detections] = await strict.detect([zeros(320, 256)])
    expect(detections!.every((d) => d.score > 0.4)).toBe(true)
    await strict.close()
    await expect(loadModel(model('tiny-concat'), { decodeCutoff: 1.2 })).rejects.toThrow('decodeCutoff override: expected a number ≥ 0 and < 1; got 1.2')
  })

  it('a graph without a batch axis takes one input per run', async () => {
    const endToEnd = await loadModel(model('tiny-end-to-end'), { provider: 'cpu' })
    expect(endToEnd.dynamicBatch).toBe(false)
    expect(endToEnd.maxBatchSize).toBe(1)
    await endToEnd.close()
  })
})
