/**
 * Exactness of the GPU providers, run where a GPU is (see README.md here): the golden fixtures
 * through WebGPU in both layouts against torchvision, the float16 fixture against the float32
 * goldens, and the bundled model over the bundled samples on WebGPU against the CPU provider
 * through the whole pipeline (image files → detections). Prints one JSON line per check.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { BUNDLED_MODEL_PATH, openDetector, type ImageResult } from '../../src-main/core/detect/detector'
import { loadModel } from '../../src-main/core/detect/model'
import type { Detection } from '../../src-main/core/detect/types'
import { compareDetections, expectedDetections, FIXTURES, manifest, matchTopDetections, preparedInput } from '../../test/helpers/golden'

const SAMPLES = join(dirname(BUNDLED_MODEL_PATH), '..', 'samples')

/** Largest score and box-coordinate deviation over detections paired in order. */
function deviation(actual: Detection[], expected: Detection[]): { count: [number, number]; classesEqual: boolean; score: number; box: number } {
  let score = 0
  let box = 0
  let classesEqual = actual.length === expected.length
  for (let i = 0; i < Math.min(actual.length, expected.length); i++) {
    const a = actual[i]!
    const e = expected[i]!
    if (a.classIndex !== e.classIndex) classesEqual = false
    score = Math.max(score, Math.abs(a.score - e.score))
    box = Math.max(box, ...a.box.map((v, j) => Math.abs(v - e.box[j]!)))
  }
  return { count: [actual.length, expected.length], classesEqual, score, box }
}

const report = (line: Record<string, unknown>) => console.log(JSON.stringify(line))

async function goldens(): Promise<void> {
  const cases = manifest.cases.filter((c) => c.model === 'tiny-concat' || c.model === 'tiny-per-level')
  for (const layout of ['NHWC', 'NCHW'] as const) {
    for (const name of ['tiny-concat', 'tiny-per-level']) {
      const model = await loadModel(join(FIXTURES, 'models', `${name}.onnx`), { provider: 'webgpu', webGpuLayout: layout, maxBatchSize: 4 })
      for (const c of cases.filter((c) => c.model === name)) {
        const [detections] = await model.detect([preparedInput(c.tensor)])
        const expected = expectedDetections(c.expected)
        report({ check: 'golden', layout, model: name, tensor: c.tensor, device: model.provider.device, failure: compareDetections(detections!, expected), ...deviation(detections!, expected) })
      }
      await model.close()
    }
  }
  // float16 weights and activations: near the float32 goldens, not equal to them.
  const half = await loadModel(join(FIXTURES, 'models', 'tiny-concat-fp16.onnx'), { provider: 'webgpu', maxBatchSize: 4 })
  for (const c of cases.filter((c) => c.model === 'tiny-concat')) {
    const [detections] = await half.detect([preparedInput(c.tensor)])
    const expected = expectedDetections(c.expected)
    report({ check: 'float16 vs float32 golden', tensor: c.tensor, ...matchTopDetections(detections!, expected, 50) })
  }
  await half.close()
}

async function pipeline(): Promise<void> {
  const paths = readdirSync(SAMPLES)
    .filter((file) => file.endsWith('.jpg'))
    .map((file) => join(SAMPLES, file))
  const results = async (provider: 'cpu' | 'webgpu'): Promise<{ results: ImageResult[]; provider: unknown; batch: number }> => {
    const detector = await openDetector({ modelPath: BUNDLED_MODEL_PATH, provider })
    const out: ImageResult[] = []
    for await (const result of detector.detectFiles(paths)) out.push(result)
    await detector.close()
    return { results: out, provider: detector.model.provider, batch: detector.model.maxBatchSize }
  }
  const cpu = await results('cpu')
  const gpu = await results('webgpu')
  report({ check: 'pipeline provider', provider: gpu.provider, batch: gpu.batch })
  let worst = { score: 0, box: 0, countsEqual: true, classesEqual: true }
  for (const [index, expected] of cpu.results.entries()) {
    const actual = gpu.results[index]!
    if (!expected.ok || !actual.ok) throw new Error(`${expected.path}: ${expected.ok ? '' : expected.error} ${actual.ok ? '' : actual.error}`)
    const d = deviation(actual.detections, expected.detections)
    worst = {
      score: Math.max(worst.score, d.score),
      box: Math.max(worst.box, d.box),
      countsEqual: worst.countsEqual && d.count[0] === d.count[1],
      classesEqual: worst.classesEqual && d.classesEqual,
    }
  }
  report({ check: 'bundled model, samples, WebGPU vs CPU through the pipeline', images: paths.length, ...worst })
  const auto = await openDetector({ modelPath: BUNDLED_MODEL_PATH, provider: 'auto' })
  report({ check: 'auto', provider: auto.model.provider, batch: auto.model.maxBatchSize, prepareThreads: auto.prepareThreads })
  await auto.close()
}

await goldens()
await pipeline()
