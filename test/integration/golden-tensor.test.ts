/**
 * Golden test at the tensor level: torchvision's own transformed input goes through the ONNX
 * graph via loadModel, and the decoded detections must match what the framework itself produced
 * (torchvision's RetinaNet.forward, or the ODTK numpy reference for the retinanet-9 layout).
 * Fixtures: test/fixtures/golden (regenerate with /usr/bin/python3 tools/golden/make_fixtures.py).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { loadModel } from '../../src-main/core/detect/model'
import type { Detection, DetectionModel, InputFrame, PreparedInput } from '../../src-main/core/detect/types'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures')
const GOLDEN = join(FIXTURES, 'golden')

interface TensorEntry {
  file: string
  dtype: 'float32' | 'uint8'
  dims: number[]
  frame: InputFrame
}
interface Manifest {
  tensors: Record<string, TensorEntry>
  detections: Record<string, string>
  cases: Array<{ model: string; tensor: string; expected: string }>
}

const manifest = JSON.parse(readFileSync(join(GOLDEN, 'manifest.json'), 'utf8')) as Manifest

function preparedInput(key: string): PreparedInput {
  const entry = manifest.tensors[key]!
  const bytes = gunzipSync(readFileSync(join(GOLDEN, entry.file)))
  const count = entry.dims.reduce((a, b) => a * b, 1)
  // uint8 tensors are raw pixels for graphs that take 0–1 images; /255 rounds exactly like torch's.
  const data =
    entry.dtype === 'float32'
      ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 4))
      : Float32Array.from(bytes.subarray(0, count), (v) => v / 255)
  expect(data.length).toBe(count)
  return { data, frame: entry.frame }
}

function expectedDetections(key: string): Detection[] {
  const file = JSON.parse(readFileSync(join(GOLDEN, manifest.detections[key]!), 'utf8')) as { detections: Detection[] }
  return file.detections
}

/** Same class, box within 1e-3 px, score within 1e-5, in the same order; reports the first difference. */
function compareDetections(actual: Detection[], expected: Detection[]): string | null {
  if (actual.length !== expected.length) return `${actual.length} detections, expected ${expected.length}`
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!
    const e = expected[i]!
    const boxOff = Math.max(...a.box.map((v, j) => Math.abs(v - e.box[j]!)))
    if (a.classIndex !== e.classIndex || Math.abs(a.score - e.score) > 1e-5 || boxOff > 1e-3) {
      return `detection ${i}: got class ${a.classIndex} score ${a.score} box [${a.box.join(', ')}], expected class ${e.classIndex} score ${e.score} box [${e.box.join(', ')}]`
    }
  }
  return null
}

const models = new Map<string, Promise<DetectionModel>>()
function model(name: string): Promise<DetectionModel> {
  if (!models.has(name)) models.set(name, loadModel(join(FIXTURES, 'models', `${name}.onnx`), { provider: 'cpu', threads: 1 }))
  return models.get(name)!
}

afterAll(async () => {
  for (const loaded of models.values()) await (await loaded).close()
})

describe('decoded detections match the framework, per layout and image', () => {
  it.each(manifest.cases.map((c) => [c.model, c.tensor, c.expected] as const))('%s on %s', async (modelName, tensorKey, expectedKey) => {
    const expected = expectedDetections(expectedKey)
    expect(expected.length).toBeGreaterThan(50) // the fixture must exercise NMS and the detection cap
    const [detections] = await (await model(modelName)).detect([preparedInput(tensorKey)])
    expect(compareDetections(detections!, expected)).toBeNull()
  })
})

describe('the comparison itself', () => {
  it('notices a small shift, a different class and a missing detection', async () => {
    const expected = expectedDetections('landscape-320x256.torchvision')
    const [first, ...rest] = expected
    expect(compareDetections(expected, expected)).toBeNull()
    expect(compareDetections([{ ...first!, box: [first!.box[0] + 0.01, first!.box[1], first!.box[2], first!.box[3]] }, ...rest], expected)).toMatch(/^detection 0:/)
    expect(compareDetections([{ ...first!, classIndex: (first!.classIndex + 1) % 5 }, ...rest], expected)).toMatch(/^detection 0:/)
    expect(compareDetections([{ ...first!, score: first!.score + 2e-5 }, ...rest], expected)).toMatch(/^detection 0:/)
    expect(compareDetections(rest, expected)).toBe(`${expected.length - 1} detections, expected ${expected.length}`)
  })
})

describe('batches', () => {
  // Two images of different original sizes that share the padded 320×256 tensor size.
  const pair = ['landscape-320x256.torchvision', 'downscaled-400x300.torchvision']

  it.each(['tiny-concat', 'tiny-per-level'])('%s decodes a batch of two like two single runs', async (modelName) => {
    const loaded = await model(modelName)
    expect(loaded.dynamicBatch).toBe(true)
    const results = await loaded.detect(pair.map(preparedInput))
    expect(results).toHaveLength(2)
    pair.forEach((key, index) => expect(compareDetections(results[index]!, expectedDetections(key))).toBeNull())
  })

  it('the static-batch retinanet-9-style graph reports a batch of one', async () => {
    const loaded = await model('tiny-odtk')
    expect(loaded.dynamicBatch).toBe(false)
    expect(loaded.maxBatchSize).toBe(1)
    expect(loaded.fixedInputSize).toEqual({ width: 384, height: 256 })
  })
})
