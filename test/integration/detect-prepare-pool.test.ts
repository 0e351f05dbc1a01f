/**
 * Preparation workers (core/detect/prepare-pool.ts): spreading decode and preparation over
 * worker threads changes which thread does the work, never the result. Checked on the golden
 * images (whose tensors are bit-identical to torchvision's) with the tiny fixture model, plus
 * files that fail, whose per-image errors must read the same.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDetector, type ImageResult } from '../../src-main/core/detect/detector'
import { defaultPrepareThreads, MAX_PREPARE_THREADS } from '../../src-main/core/detect/prepare-pool'

const goldenDir = fileURLToPath(new URL('../fixtures/golden/', import.meta.url))
const modelPath = fileURLToPath(new URL('../fixtures/models/tiny-concat.onnx', import.meta.url))
const manifest = JSON.parse(readFileSync(join(goldenDir, 'manifest.json'), 'utf8')) as { images: Record<string, { file: string }> }

let scratch: string
let paths: string[]
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'prepare-pool-'))
  writeFileSync(join(scratch, 'text.jpg'), 'not an image')
  writeFileSync(join(scratch, 'empty.png'), '')
  const images = Object.values(manifest.images).map((image) => join(goldenDir, image.file))
  // Errors between images: the order of results must survive the workers.
  paths = [...images, join(scratch, 'text.jpg'), ...images, join(scratch, 'missing.jpg'), join(scratch, 'empty.png')]
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

async function detectAll(prepareThreads: number): Promise<{ threads: number; results: ImageResult[] }> {
  const detector = await openDetector({ modelPath, provider: 'cpu', threads: 1, prepareThreads })
  try {
    const results: ImageResult[] = []
    for await (const result of detector.detectFiles(paths)) results.push(result)
    return { threads: detector.prepareThreads, results }
  } finally {
    await detector.close()
  }
}

describe('preparation workers', () => {
  it('give the same detections and the same per-image errors, in input order, as the detector thread', async () => {
    const inline = await detectAll(0)
    const pooled = await detectAll(3)
    expect(inline.threads).toBe(0)
    expect(pooled.threads).toBe(3)
    expect(pooled.results.map((r) => r.path)).toEqual(paths)
    expect(pooled.results.filter((r) => !r.ok).map((r) => r.path)).toEqual(['text.jpg', 'missing.jpg', 'empty.png'].map((f) => join(scratch, f)))
    expect(pooled.results.filter((r) => r.ok && r.detections.length > 0).length).toBeGreaterThan(0)
    expect(pooled.results).toEqual(inline.results)
  }, 60_000)

  it('a negative or fractional worker count is refused', async () => {
    await expect(openDetector({ modelPath, provider: 'cpu', threads: 1, prepareThreads: -1 })).rejects.toThrow(/prepareThreads/)
    await expect(openDetector({ modelPath, provider: 'cpu', threads: 1, prepareThreads: 1.5 })).rejects.toThrow(/prepareThreads/)
  })
})

describe('defaultPrepareThreads', () => {
  it('uses the cores inference leaves free', () => {
    expect(defaultPrepareThreads('cpu', undefined, 8)).toBe(0) // ONNX Runtime takes one thread per core
    expect(defaultPrepareThreads('cpu', 0, 8)).toBe(0)
    expect(defaultPrepareThreads('cpu', 2, 2)).toBe(0)
    expect(defaultPrepareThreads('cpu', 2, 8)).toBe(6)
    expect(defaultPrepareThreads('cuda', undefined, 4)).toBe(3)
    expect(defaultPrepareThreads('cuda', undefined, 1)).toBe(0)
    expect(defaultPrepareThreads('cuda', undefined, 64)).toBe(MAX_PREPARE_THREADS)
  })
})
