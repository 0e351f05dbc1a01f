import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultConfigPath, loadModelConfig, mergeConfig, ModelConfigError, resolveModelConfig } from '../../../src-main/core/detect/config'

function problemsOf(raw: unknown): string[] {
  try {
    resolveModelConfig(raw, 'model.json')
  } catch (error) {
    expect(error).toBeInstanceOf(ModelConfigError)
    return (error as ModelConfigError).problems
  }
  throw new Error('expected the config to be rejected')
}

const shapes = { preset: 'torchvision', classes: ['circle', 'square'] }

describe('merging a config over its preset', () => {
  it('merges objects key by key and replaces arrays and scalars', () => {
    const merged = mergeConfig({ input: { scale: 1, mean: [1, 2, 3], padMultiple: 32 } }, { input: { mean: [4, 5, 6], padMultiple: 64 } })
    expect(merged).toEqual({ input: { scale: 1, mean: [4, 5, 6], padMultiple: 64 } })
  })

  it('replaces a whole object when its mode or layout changes', () => {
    const config = resolveModelConfig({ ...shapes, input: { resize: { mode: 'fixed', width: 640, height: 480 } } })
    expect(config.input.resize).toEqual({ mode: 'fixed', width: 640, height: 480 })
    const sameMode = resolveModelConfig({ ...shapes, input: { resize: { mode: 'torchvision', minSize: 256 } } })
    expect(sameMode.input.resize).toEqual({ mode: 'torchvision', minSize: 256, maxSize: 1333 })
  })

  it('keeps every preset default the file does not mention', () => {
    const config = resolveModelConfig({ ...shapes, postprocess: { decodeCutoff: 0.3 } })
    expect(config.postprocess).toEqual({ decodeCutoff: 0.3, topKPerLevel: 1000, nmsIou: 0.5, maxDetections: 300, clip: 'resized', nmsPlusOne: false })
  })

  it('reads the decode cutoff under its old name, postprocess.scoreThreshold, and refuses two different values', () => {
    expect(resolveModelConfig({ ...shapes, postprocess: { scoreThreshold: 0.2 } }).postprocess.decodeCutoff).toBe(0.2)
    expect(resolveModelConfig({ ...shapes, postprocess: { scoreThreshold: 0.2, decodeCutoff: 0.2 } }).postprocess.decodeCutoff).toBe(0.2)
    expect(() => resolveModelConfig({ ...shapes, postprocess: { scoreThreshold: 0.2, decodeCutoff: 0.3 } })).toThrow(/old name of postprocess\.decodeCutoff/)
  })
})

describe('presets', () => {
  it('torchvision: concat raw heads, transform 800/1333, ImageNet normalization, anchors of model-config.md', () => {
    const config = resolveModelConfig({ preset: 'torchvision' })
    expect(config.output).toEqual({ layout: 'concat', scores: 'logits', classOutput: 'cls_logits', boxOutput: 'bbox_regression' })
    expect(config.input).toMatchObject({ resize: { mode: 'torchvision', minSize: 800, maxSize: 1333 }, channelOrder: 'RGB', padMultiple: 32, batchAxis: true })
    expect(config.input.scale).toBeCloseTo(1 / 255, 15)
    expect(config.input.mean).toEqual([0.485, 0.456, 0.406])
    expect(config.anchors).toEqual({
      sizes: [[32, 40, 50], [64, 80, 101], [128, 161, 203], [256, 322, 406], [512, 645, 812]],
      aspectRatios: [0.5, 1, 2],
      order: 'ratio-major',
      rounding: 'half-even',
      offset: 0,
      plusOne: false,
      strides: 'derived',
    })
    expect(config.boxCoder).toEqual({ weights: [1, 1, 1, 1], clamp: 'upper', clampValue: Math.log(1000 / 16), plusOne: false })
    expect(config.postprocess).toMatchObject({ decodeCutoff: 0.05, topKPerLevel: 1000, nmsIou: 0.5, maxDetections: 300 })
  })

  it('torchvision: COCO classes under torchvision label indices, unused slots left out', () => {
    const config = resolveModelConfig({ preset: 'torchvision' })
    expect(config.numClasses).toBe(91)
    expect(config.classes).toHaveLength(80)
    expect(config.classes[0]).toEqual({ index: 1, name: 'person', categoryId: 1 })
    expect(config.classes.find((c) => c.name === 'stop sign')).toEqual({ index: 13, name: 'stop sign', categoryId: 13 })
    expect(config.classes.some((c) => c.index === 12)).toBe(false)
  })

  it('torchvision-per-level: same conventions, per-level maps in graph order', () => {
    const config = resolveModelConfig({ preset: 'torchvision-per-level' })
    expect(config.output).toEqual({ layout: 'per-level', scores: 'logits', classOutputs: [], boxOutputs: [] })
    expect(config.anchors.order).toBe('ratio-major')
  })

  it('retinanet-9: sigmoid maps, scale-major (1, 2, 0.5) anchors of 4·2^(i/3)·stride, +1 conventions, no clamp', () => {
    const config = resolveModelConfig({ preset: 'retinanet-9' })
    expect(config.output).toMatchObject({ layout: 'per-level', scores: 'probabilities' })
    expect(config.anchors).toMatchObject({ aspectRatios: [1, 2, 0.5], order: 'scale-major', rounding: 'none', offset: 0.5, strides: 'nominal' })
    expect(config.anchors.sizes[0]![1]).toBeCloseTo(4 * 2 ** (1 / 3) * 8, 10)
    expect(config.anchors.sizes[4]![2]).toBeCloseTo(4 * 2 ** (2 / 3) * 128, 10)
    expect(config.boxCoder).toMatchObject({ clamp: 'none', plusOne: true })
    expect(config.postprocess).toMatchObject({ nmsPlusOne: true, maxDetections: 100 })
    expect(config.input.resize).toEqual({ mode: 'letterbox', width: 640, height: 480 })
    expect(config.numClasses).toBe(80)
    expect(config.classes[79]).toEqual({ index: 79, name: 'toothbrush', categoryId: 90 })
  })

  it('torchvision-end-to-end: one 0–1 image, transform inside the graph', () => {
    const config = resolveModelConfig({ preset: 'torchvision-end-to-end' })
    expect(config.input).toMatchObject({ resize: { mode: 'none' }, mean: [0, 0, 0], std: [1, 1, 1], padMultiple: 1, batchAxis: false })
    expect(config.output).toEqual({ layout: 'end-to-end', boxesOutput: 'boxes', scoresOutput: 'scores', labelsOutput: 'labels', boxFrame: 'original' })
  })

  it('mmdeploy: dets + labels in the input frame, mmdetection 0–255 normalization', () => {
    const config = resolveModelConfig({ preset: 'mmdeploy' })
    expect(config.output).toEqual({ layout: 'mmdeploy', detsOutput: 'dets', labelsOutput: 'labels', boxFrame: 'input' })
    expect(config.input).toMatchObject({ scale: 1, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375] })
  })

  it('gives each call its own copy', () => {
    const first = resolveModelConfig({ preset: 'torchvision' })
    first.anchors.sizes[0]![0] = 1
    expect(resolveModelConfig({ preset: 'torchvision' }).anchors.sizes[0]![0]).toBe(32)
  })
})

describe('classes', () => {
  it('accepts names, {name, id} objects and null slots', () => {
    const config = resolveModelConfig({ preset: 'torchvision', classes: [null, 'cat', { name: 'dog', id: 18 }, null] })
    expect(config.numClasses).toBe(4)
    expect(config.classes).toEqual([
      { index: 1, name: 'cat', categoryId: 2 },
      { index: 2, name: 'dog', categoryId: 18 },
    ])
  })

  it('rejects duplicate category ids and all-null lists', () => {
    expect(problemsOf({ preset: 'torchvision', classes: [{ name: 'a', id: 3 }, { name: 'b', id: 3 }] })).toEqual([
      'classes[1].id: category id 3 is already used by classes[0]',
    ])
    expect(problemsOf({ preset: 'torchvision', classes: [null, null] })[0]).toMatch(/at least one class that is not null/)
  })
})

describe('error messages name the field, what is allowed and what was found', () => {
  const cases: Array<[string, unknown, string]> = [
    ['resize mode', { ...shapes, input: { resize: { mode: 'bilinear' } } }, 'input.resize.mode: expected one of torchvision, fixed, letterbox, none; got "bilinear"'],
    ['preset', { preset: 'yolo' }, 'preset: expected one of torchvision, torchvision-per-level, retinanet-9, torchvision-end-to-end, mmdeploy; got "yolo"'],
    ['layout', { ...shapes, output: { layout: 'yolo' } }, 'output.layout: expected one of concat, per-level, end-to-end, mmdeploy; got "yolo"'],
    ['channel order', { ...shapes, input: { channelOrder: 'RBG' } }, 'input.channelOrder: expected one of RGB, BGR; got "RBG"'],
    ['mean length', { ...shapes, input: { mean: [0.5, 0.5] } }, 'input.mean: expected at least 3 entries; got a list of 2'],
    ['std zero', { ...shapes, input: { std: [0.2, 0, 0.2] } }, 'input.std[1]: expected a number > 0; got 0'],
    ['pad multiple', { ...shapes, input: { padMultiple: 0 } }, 'input.padMultiple: expected a number > 0; got 0'],
    ['fixed size missing', { ...shapes, input: { resize: { mode: 'fixed', width: 640 } } }, 'input.resize.height: missing (expected a number)'],
    ['unknown key', { ...shapes, input: { resise: { mode: 'none' } } }, 'input: unknown key "resise"'],
    ['class entry', { preset: 'torchvision', classes: ['a', 7] }, 'classes[1]: expected a class name, {"name": ..., "id": ...} or null; got 7'],
    ['anchor order', { ...shapes, anchors: { order: 'size-major' } }, 'anchors.order: expected one of ratio-major, scale-major; got "size-major"'],
    ['anchor sizes', { ...shapes, anchors: { sizes: [[32, -1]] } }, 'anchors.sizes[0][1]: expected a number > 0; got -1'],
    ['clamp', { ...shapes, boxCoder: { clamp: 'lower' } }, 'boxCoder.clamp: expected one of upper, both, none; got "lower"'],
    ['weights', { ...shapes, boxCoder: { weights: 1 } }, 'boxCoder.weights: expected a list of numbers; got 1'],
    ['threshold', { ...shapes, postprocess: { decodeCutoff: 1.5 } }, 'postprocess.decodeCutoff: expected a number < 1; got 1.5'],
    ['nms iou', { ...shapes, postprocess: { nmsIou: 0 } }, 'postprocess.nmsIou: expected a number > 0; got 0'],
    ['max detections', { ...shapes, postprocess: { maxDetections: 2.5 } }, 'postprocess.maxDetections: expected an integer; got 2.5'],
    ['clip', { ...shapes, postprocess: { clip: 'padded' } }, 'postprocess.clip: expected one of resized, original, none; got "padded"'],
    ['batch axis', { ...shapes, input: { batchAxis: 'yes' } }, 'input.batchAxis: expected true or false; got "yes"'],
    ['output name', { ...shapes, output: { classOutput: '' } }, 'output.classOutput: expected a non-empty text; got ""'],
    ['root', [1, 2], '(root): expected a JSON object; got a list of 2'],
  ]

  it.each(cases)('%s', (_, raw, message) => {
    expect(problemsOf(raw)).toContain(message)
  })

  it('lists every problem at once', () => {
    const problems = problemsOf({ ...shapes, input: { channelOrder: 'X', padMultiple: -1 }, postprocess: { nmsIou: 3 } })
    expect(problems).toHaveLength(3)
  })

  it('without a preset every section is required', () => {
    expect(problemsOf({ classes: ['a'] })).toEqual(
      expect.arrayContaining(['input: missing (expected an object)', 'output: missing (expected an object)', 'postprocess: missing (expected an object)']),
    )
  })

  it('checks fields against each other', () => {
    expect(problemsOf({ ...shapes, input: { resize: { mode: 'torchvision', minSize: 800, maxSize: 600 } } })).toEqual([
      'input.resize.maxSize: expected a number ≥ minSize (800); got 600',
    ])
    expect(problemsOf({ ...shapes, anchors: { sizes: [[32, 40], [64]] } })[0]).toMatch(/^anchors.sizes: every level needs the same number of sizes .* got 2, 1$/)
    expect(problemsOf({ preset: 'torchvision-per-level', classes: ['a'], output: { classOutputs: ['c3'], boxOutputs: ['b3'] } })[0]).toMatch(
      /^output.classOutputs: expected 5 names \(one per level in anchors.sizes\), or none for graph order; got a list of 1$/,
    )
  })
})

describe('config files', () => {
  it('sits beside the model with the same name', () => {
    expect(defaultConfigPath('/models/shapes-retinanet.onnx')).toBe('/models/shapes-retinanet.json')
  })

  it('reads a file and names it in errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-config-'))
    await writeFile(join(dir, 'good.json'), JSON.stringify(shapes))
    await writeFile(join(dir, 'bad.json'), '{"preset": "torchvision",')
    await writeFile(join(dir, 'wrong.json'), JSON.stringify({ ...shapes, postprocess: { nmsIou: 'half' } }))
    expect((await loadModelConfig(join(dir, 'good.json'))).classes.map((c) => c.name)).toEqual(['circle', 'square'])
    await expect(loadModelConfig(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: invalid model config\n {2}- not valid JSON/)
    await expect(loadModelConfig(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: invalid model config\n {2}- file not found/)
    await expect(loadModelConfig(join(dir, 'wrong.json'))).rejects.toThrow('postprocess.nmsIou: expected a number; got "half"')
  })
})

describe('label threshold (the operating point)', () => {
  it('defaults to 0.5 for every class when the config names none', () => {
    expect(resolveModelConfig(shapes).labelThreshold).toEqual({ score: 0.5, perClass: {} })
  })

  it('takes a calibrated score and per-class values', () => {
    const config = resolveModelConfig({ ...shapes, labelThreshold: { score: 0.42, perClass: { square: 0.6 } } })
    expect(config.labelThreshold).toEqual({ score: 0.42, perClass: { square: 0.6 } })
  })

  it('refuses scores outside (0, 1] and unknown keys', () => {
    expect(problemsOf({ ...shapes, labelThreshold: { score: 0 } }).join('\n')).toMatch(/labelThreshold\.score/)
    expect(problemsOf({ ...shapes, labelThreshold: { score: 0.5, perClass: { square: 1.5 } } }).join('\n')).toMatch(/labelThreshold\.perClass\.square/)
    expect(problemsOf({ ...shapes, labelThreshold: { score: 0.5, margin: 1 } }).join('\n')).toMatch(/labelThreshold/)
  })
})
