/**
 * A float16 model (test/fixtures/models/tiny-concat-fp16.onnx, the float16 conversion of
 * tiny-concat.onnx by tools/model/onnx_fp16.py): its input is converted from the prepared
 * float32 tensor, its outputs widened to float32 before decoding. Computed in float16 its
 * detections are near torchvision's float32 ones, not equal: near-tied scores can swap places.
 */
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDetector } from '../../src-main/core/detect/detector'
import { loadModel } from '../../src-main/core/detect/model'
import type { DetectionModel } from '../../src-main/core/detect/types'
import { expectedDetections, FIXTURES, manifest, matchTopDetections, preparedInput } from '../helpers/golden'

const HALF_MODEL = join(FIXTURES, 'models', 'tiny-concat-fp16.onnx')
const GOLDEN_IMAGES = join(FIXTURES, 'golden', 'images')

let model: DetectionModel | null = null
afterAll(async () => {
  await model?.close()
})

describe('float16 models', () => {
  const cases = manifest.cases.filter((c) => c.model === 'tiny-concat')

  it.each(cases.map((c) => [c.tensor, c.expected] as const))('%s: the 50 best float32 detections are found', async (tensorKey, expectedKey) => {
    model ??= await loadModel(HALF_MODEL, { provider: 'cpu', threads: 1 })
    expect(model.inputPrecision).toBe('float16')
    const [detections] = await model.detect([preparedInput(tensorKey)])
    // Measured: 46–49 of 50 on the CPU provider, 39–48 on WebGPU (an H200); box IoU ≥ 0.95, score within 0.02.
    const match = matchTopDetections(detections!, expectedDetections(expectedKey), 50)
    expect(match.matched).toBeGreaterThanOrEqual(45)
    expect(match.worstScore).toBeLessThan(0.005)
  })

  it('widened outputs handed back serve the next run, and hold its values', async () => {
    model ??= await loadModel(HALF_MODEL, { provider: 'cpu', threads: 1 })
    const input = preparedInput('portrait-256x320.torchvision')
    const first = await model.runRaw([input])
    const kept = first.cls_logits!.data
    model.recycleOutputs(first)
    const second = await model.runRaw([input])
    expect(second.cls_logits!.data).toBe(kept)
    const fresh = await model.runRaw([input])
    expect(fresh.cls_logits!.data).not.toBe(kept)
    expect(second.cls_logits!.data).toEqual(fresh.cls_logits!.data)
  })

  it('a float32 model reports float32', async () => {
    const single = await loadModel(join(FIXTURES, 'models', 'tiny-concat.onnx'), { provider: 'cpu', threads: 1 })
    expect(single.inputPrecision).toBe('float32')
    await single.close()
  })

  it('preparation workers convert to float16 exactly as the detector thread does', async () => {
    const paths = ['landscape-320x256.png', 'downscaled-400x300.jpg', 'upscaled-150x200.png'].map((file) => join(GOLDEN_IMAGES, file))
    const detect = async (prepareThreads: number) => {
      const detector = await openDetector({ modelPath: HALF_MODEL, provider: 'cpu', threads: 1, prepareThreads })
      try {
        const results = []
        for await (const result of detector.detectFiles(paths)) results.push(result)
        return results
      } finally {
        await detector.close()
      }
    }
    const inThread = await detect(0)
    const inWorkers = await detect(2)
    expect(inThread.every((result) => result.ok && result.detections.length > 0)).toBe(true)
    expect(inWorkers).toEqual(inThread)
  })
})
