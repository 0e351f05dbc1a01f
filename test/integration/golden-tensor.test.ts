/**
 * Golden test at the tensor level: torchvision's own transformed input goes through the ONNX
 * graph via loadModel, and the decoded detections must match what the framework itself produced
 * (torchvision's RetinaNet.forward, or the ODTK numpy reference for the retinanet-9 layout).
 * Fixtures: test/fixtures/golden (regenerate with /usr/bin/python3 tools/golden/make_fixtures.py).
 */
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadModel } from '../../src-main/core/detect/model'
import type { DetectionModel } from '../../src-main/core/detect/types'
import { compareDetections, expectedDetections, FIXTURES, manifest, preparedInput } from '../helpers/golden'

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

  it('batches of different sizes, one after the other and at once, reuse no stale input', async () => {
    const loaded = await model('tiny-concat')
    const [landscape, downscaled] = pair
    const three = await loaded.detect([landscape!, downscaled!, landscape!].map(preparedInput))
    const two = await loaded.detect([downscaled!, landscape!].map(preparedInput))
    // Two batches started in the same tick: the second cannot share the first one's memory.
    const together = await Promise.all([loaded.detect([landscape!, landscape!].map(preparedInput)), loaded.detect([downscaled!, downscaled!].map(preparedInput))])
    const expectedFor = (key: string | undefined) => expectedDetections(key!)
    ;[landscape, downscaled, landscape].forEach((key, index) => expect(compareDetections(three[index]!, expectedFor(key))).toBeNull())
    ;[downscaled, landscape].forEach((key, index) => expect(compareDetections(two[index]!, expectedFor(key))).toBeNull())
    together[0]!.forEach((detections) => expect(compareDetections(detections, expectedFor(landscape))).toBeNull())
    together[1]!.forEach((detections) => expect(compareDetections(detections, expectedFor(downscaled))).toBeNull())
  })

  it('the static-batch retinanet-9-style graph reports a batch of one', async () => {
    const loaded = await model('tiny-odtk')
    expect(loaded.dynamicBatch).toBe(false)
    expect(loaded.maxBatchSize).toBe(1)
    expect(loaded.fixedInputSize).toEqual({ width: 384, height: 256 })
  })
})
