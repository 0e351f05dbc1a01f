/**
 * The inference thread (core/detect/inference-thread.ts): running the graph on its own worker
 * thread changes where the session lives, never the results. Checked with the CPU provider (the
 * thread is the default only for GPUs, whose runs it overlaps with the detector's other work):
 * outputs bit for bit, detections and per-image errors in input order, loading errors of the
 * same classes and words, failed runs, closing, and a detector left open not holding a command.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ModelConfigError } from '../../src-main/core/detect/config'
import { openDetector, type ImageResult } from '../../src-main/core/detect/detector'
import { loadModelOnThread } from '../../src-main/core/detect/inference-thread'
import { loadModel, ModelLoadError, ModelMismatchError, type LoadModelOptions } from '../../src-main/core/detect/model'
import { ProviderUnavailableError } from '../../src-main/core/detect/session'
import { FIXTURES, manifest, preparedInput } from '../helpers/golden'

const modelPath = join(FIXTURES, 'models', 'tiny-concat.onnx')
const images = Object.keys(manifest.tensors)
  .filter((key) => key.endsWith('.torchvision'))
  .slice(0, 2)

let scratch: string
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'inference-thread-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function onThread(path: string, options: LoadModelOptions) {
  const model = await loadModelOnThread(path, options)
  if (!model) throw new Error('no inference worker entry beside the sources')
  return model
}

/** The error a promise rejects with (null when it resolves). */
async function failure(promise: Promise<{ close(): Promise<void> }>): Promise<Error | null> {
  return promise.then(
    async (model) => {
      await model.close()
      return null
    },
    (error: Error) => error,
  )
}

describe('a model on an inference thread', () => {
  it('gives the same outputs bit for bit, one input or a batch, and leaves the prepared inputs intact', async () => {
    const here = await loadModel(modelPath, { provider: 'cpu', threads: 1 })
    const there = await onThread(modelPath, { provider: 'cpu', threads: 1 })
    try {
      expect(there.facts).toEqual(here.facts)
      const inputs = [preparedInput(images[0]!), preparedInput(images[0]!)]
      for (const batch of [inputs.slice(0, 1), inputs]) {
        const expected = await here.runRaw(batch)
        // Twice: the batch tensor's memory comes back from the thread and is filled again.
        for (let round = 0; round < 2; round++) expect(await there.runRaw(batch)).toEqual(expected)
      }
      // The thread gets a copy: the prepared tensors are still whole.
      expect(inputs[0]!.data.length).toBe(3 * inputs[0]!.frame.paddedWidth * inputs[0]!.frame.paddedHeight)
      expect(await there.detect([preparedInput(images[1]!)])).toEqual(await here.detect([preparedInput(images[1]!)]))
    } finally {
      await here.close()
      await there.close()
    }
  }, 60_000)

  it('fails to load with the same error classes, words and fields as on the caller’s thread', async () => {
    const configPath = join(scratch, 'wrong-classes.json')
    writeFileSync(configPath, JSON.stringify({ preset: 'torchvision', classes: ['a', 'b', 'c'] }))
    const badConfig = join(scratch, 'bad.json')
    writeFileSync(badConfig, '{ "preset": "nonsense" }')
    const notAModel = join(scratch, 'text.onnx')
    writeFileSync(notAModel, 'not a model')
    writeFileSync(join(scratch, 'text.json'), readFileSync(join(FIXTURES, 'models', 'tiny-concat.json')))
    const cases: Array<[string, LoadModelOptions, new (...args: never[]) => Error]> = [
      [modelPath, { configPath, provider: 'cpu' }, ModelMismatchError],
      [modelPath, { configPath: badConfig, provider: 'cpu' }, ModelConfigError],
      [notAModel, { provider: 'cpu' }, ModelLoadError],
      [modelPath, { provider: 'cpu', maxBatchSize: 0 }, RangeError],
    ]
    for (const [path, options, expectedClass] of cases) {
      const here = await failure(loadModel(path, options))
      const there = await failure(onThread(path, options))
      expect(here).toBeInstanceOf(expectedClass)
      expect(there).toBeInstanceOf(expectedClass)
      expect(there!.name).toBe(here!.name)
      expect(there!.message).toBe(here!.message)
      expect({ ...there }).toEqual({ ...here })
    }
  }, 60_000)

  it('says why CUDA cannot be used, with the same words in every language', async () => {
    const here = await failure(loadModel(modelPath, { provider: 'cuda' }))
    // Where CUDA works there is nothing to compare; this machine's CI has no CUDA build.
    if (here === null) return
    const there = await failure(onThread(modelPath, { provider: 'cuda' }))
    expect(there).toBeInstanceOf(ProviderUnavailableError)
    expect((there as ProviderUnavailableError).said).toEqual((here as ProviderUnavailableError).said)
    expect(there!.message).toBe(here!.message)
  }, 60_000)

  it('a run the graph refuses fails alone; the next run works; a closed model refuses runs', async () => {
    const model = await onThread(modelPath, { provider: 'cpu', threads: 1 })
    const input = preparedInput(images[0]!)
    const expected = await model.runRaw([input])
    await expect(model.runGraph({ type: 'float32', data: new Float32Array(12), dims: [1, 3, 5, 5] })).rejects.toThrow(/size|shape|dimension/i)
    expect(await model.runRaw([input])).toEqual(expected)
    await model.close()
    await expect(model.runRaw([input])).rejects.toThrow('the model is closed')
    await model.close()
  }, 60_000)
})

describe('a detector with an inference thread', () => {
  async function detectAll(paths: string[], inferenceThread: boolean, prepareThreads: number): Promise<ImageResult[]> {
    const detector = await openDetector({ modelPath, provider: 'cpu', threads: 1, prepareThreads, inferenceThread, lookahead: 2 })
    try {
      expect(detector.model.inferenceThread).toBe(inferenceThread)
      const results: ImageResult[] = []
      for await (const result of detector.detectFiles(paths)) results.push(result)
      return results
    } finally {
      await detector.close()
    }
  }

  it('gives the same detections and per-image errors, in input order, as one without', async () => {
    writeFileSync(join(scratch, 'broken.jpg'), 'not an image')
    const files = Object.values(manifest.images).map((image) => join(FIXTURES, 'golden', image.file))
    // Same-sized neighbours form batches; a failed file and a size change end them.
    const paths = [files[0]!, files[0]!, files[0]!, join(scratch, 'broken.jpg'), files[0]!, ...files, files[1]!, files[1]!, join(scratch, 'gone.png')]
    const inline = await detectAll(paths, false, 0)
    expect(inline.map((r) => r.path)).toEqual(paths)
    expect(inline.filter((r) => !r.ok).map((r) => r.path)).toEqual([join(scratch, 'broken.jpg'), join(scratch, 'gone.png')])
    expect(inline.some((r) => r.ok && r.detections.length > 0)).toBe(true)
    expect(await detectAll(paths, true, 0)).toEqual(inline)
    expect(await detectAll(paths, true, 2)).toEqual(inline)
  }, 120_000)

  it('left open, does not keep a command from ending', () => {
    const script = join(scratch, 'left-open.mts')
    const detectorModule = join(import.meta.dirname, '..', '..', 'src-main', 'core', 'detect', 'detector.ts')
    const image = join(FIXTURES, 'golden', Object.values(manifest.images)[0]!.file)
    writeFileSync(
      script,
      `import { openDetector } from ${JSON.stringify(detectorModule)}\n` +
        `const detector = await openDetector({ modelPath: ${JSON.stringify(modelPath)}, provider: 'cpu', threads: 1, inferenceThread: true })\n` +
        `const result = await detector.detectFile(${JSON.stringify(image)})\n` +
        `console.log(detector.model.inferenceThread, result.ok)\n`,
    )
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 })
    expect(child.stderr).toBe('')
    expect(child.signal).toBeNull()
    expect(child.stdout.trim()).toBe('true true')
    expect(child.status).toBe(0)
  }, 70_000)
})
