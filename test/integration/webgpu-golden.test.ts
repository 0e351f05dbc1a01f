/**
 * The golden fixtures through ONNX Runtime's WebGPU provider, in both convolution layouts: the
 * decoded detections must equal torchvision's within the CPU provider's tolerance (score 1e-5,
 * box 1e-3 px; measured on lavapipe: score 1e-6, box 2.5e-4 px). Without a GPU this runs
 * on Mesa's software Vulkan device (lavapipe; `.ci/run` installs it from Debian's backports),
 * slowly; where no adapter can be had at all the tests are skipped and
 * say why.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDetector } from '../../src-main/core/detect/detector'
import { loadModel } from '../../src-main/core/detect/model'
import type { DetectionModel } from '../../src-main/core/detect/types'
import { compareDetections, expectedDetections, FIXTURES, manifest, matchTopDetections, preparedInput } from '../helpers/golden'
import { webGpuUnavailable } from '../helpers/webgpu'

const concatModel = join(FIXTURES, 'models', 'tiny-concat.onnx')

const unavailable = await webGpuUnavailable(concatModel)
const title = (name: string) => (unavailable ? `${name} (skipped: ${unavailable})` : name)

async function withModel<T>(name: string, layout: 'NCHW' | 'NHWC', use: (model: DetectionModel) => Promise<T>): Promise<T> {
  // A fixed batch limit skips the batch-size measurement, seconds on a software renderer.
  const model = await loadModel(join(FIXTURES, 'models', `${name}.onnx`), { provider: 'webgpu', webGpuLayout: layout, maxBatchSize: 2 })
  try {
    return await use(model)
  } finally {
    await model.close()
  }
}

describe('WebGPU provider against torchvision', () => {
  const torchvisionCases = manifest.cases.filter((c) => c.model === 'tiny-concat' || c.model === 'tiny-per-level')
  const layouts = ['NHWC', 'NCHW'] as const
  const cases = layouts.flatMap((layout) => torchvisionCases.map((c) => [layout, c.model, c.tensor, c.expected] as const))

  it.skipIf(unavailable !== null).each(cases)(title('%s: %s on %s'), async (layout, modelName, tensorKey, expectedKey) => {
    await withModel(modelName, layout, async (model) => {
      expect(model.provider.used).toBe('webgpu')
      expect(model.provider.device).toMatch(/through (Vulkan|Direct3D 12|Metal)$/)
      const [detections] = await model.detect([preparedInput(tensorKey)])
      const expected = expectedDetections(expectedKey)
      expect(expected.length).toBeGreaterThan(50)
      expect(compareDetections(detections!, expected)).toBeNull()
    })
  }, 300_000)

  it.skipIf(unavailable !== null)(title('a float16 model computes in float16 near the float32 goldens'), async () => {
    await withModel('tiny-concat-fp16', 'NHWC', async (model) => {
      expect(model.inputPrecision).toBe('float16')
      const [detections] = await model.detect([preparedInput('landscape-320x256.torchvision')])
      // Computed in float16 throughout (the CPU provider widens to float32 between casts):
      // on an H200, 39–48 of the 50 best matched across the four images.
      const match = matchTopDetections(detections!, expectedDetections('landscape-320x256.torchvision'), 50)
      expect(match.matched).toBeGreaterThanOrEqual(35)
      expect(match.worstScore).toBeLessThan(0.01)
    })
  }, 300_000)

  it.skipIf(unavailable !== null)(title('without a batch limit the batch size is measured at load'), async () => {
    const model = await loadModel(join(FIXTURES, 'models', 'tiny-concat.onnx'), { provider: 'webgpu' })
    try {
      expect([1, 2, 4, 8, 16, 32]).toContain(model.maxBatchSize)
      const results = await model.detect(Array.from({ length: model.maxBatchSize }, () => preparedInput('landscape-320x256.torchvision')))
      expect(results).toHaveLength(model.maxBatchSize)
    } finally {
      await model.close()
    }
  }, 300_000)

  it.skipIf(unavailable !== null)(title('a batch of two equals two single runs'), async () => {
    await withModel('tiny-concat', 'NHWC', async (model) => {
      const pair = ['landscape-320x256.torchvision', 'downscaled-400x300.torchvision']
      const results = await model.detect(pair.map(preparedInput))
      pair.forEach((key, index) => expect(compareDetections(results[index]!, expectedDetections(key))).toBeNull())
    })
  }, 300_000)

  it.skipIf(unavailable !== null)(title('an image file through the detector, whose graph runs on an inference thread, equals torchvision'), async () => {
    const detector = await openDetector({ modelPath: concatModel, provider: 'webgpu', prepareThreads: 1 })
    try {
      // A GPU provider puts the session on its own thread unless told otherwise.
      expect(detector.model.inferenceThread).toBe(true)
      expect(detector.model.provider.used).toBe('webgpu')
      const result = await detector.detectFile(join(FIXTURES, 'golden', 'images', 'landscape-320x256.png'))
      if (!result.ok) throw new Error(result.error)
      expect(compareDetections(result.detections, expectedDetections('landscape-320x256.torchvision'))).toBeNull()
    } finally {
      await detector.close()
    }
  }, 300_000)
})
