/**
 * Image file → detections, against torchvision's own detections on the same files
 * (test/fixtures/golden, written by tools/golden/make_fixtures.py with torchvision 0.14's
 * RetinaNet.forward on PIL-decoded images).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDetector, type Detector, type ImageResult } from '../../src-main/core/detect/detector'
import { prepareImage } from '../../src-main/core/detect/preprocess'
import type { Detection } from '../../src-main/core/detect/types'
import { decodeImageFile } from '../../src-main/core/images/decode-image'

const goldenDir = fileURLToPath(new URL('../fixtures/golden/', import.meta.url))
const modelsDir = fileURLToPath(new URL('../fixtures/models/', import.meta.url))

interface Manifest {
  images: Record<string, { file: string; width: number; height: number }>
  tensors: Record<string, { file: string; frame: Record<string, number> }>
  detections: Record<string, string>
}
const manifest = JSON.parse(readFileSync(join(goldenDir, 'manifest.json'), 'utf8')) as Manifest

function expectedDetections(name: string): Detection[] {
  const file = manifest.detections[`${name}.torchvision`]!
  return (JSON.parse(readFileSync(join(goldenDir, file), 'utf8')) as { detections: Detection[] }).detections
}

function torchTensor(name: string): Float32Array {
  const bytes = gunzipSync(readFileSync(join(goldenDir, manifest.tensors[`${name}.torchvision`]!.file)))
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
}

/**
 * Pairs every expected detection with an unused actual one of the same class, score within
 * `scoreTolerance` and every box coordinate within `boxTolerance`; returns those left unpaired.
 * Pairing (rather than comparing position by position) keeps the check independent of the
 * order of detections whose scores agree to within the tolerance.
 */
function unmatched(expected: Detection[], actual: Detection[], boxTolerance: number, scoreTolerance: number): Detection[] {
  const used = new Set<number>()
  const missing: Detection[] = []
  for (const want of expected) {
    const index = actual.findIndex(
      (got, i) =>
        !used.has(i) &&
        got.classIndex === want.classIndex &&
        Math.abs(got.score - want.score) <= scoreTolerance &&
        got.box.every((value, k) => Math.abs(value - want.box[k]!) <= boxTolerance),
    )
    if (index < 0) missing.push(want)
    else used.add(index)
  }
  return missing
}

function succeeded(result: ImageResult): Extract<ImageResult, { ok: true }> {
  if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
  return result
}

let detector: Detector
let scratch: string
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'detect-pipeline-'))
  detector = await openDetector({ modelPath: join(modelsDir, 'tiny-concat.onnx'), provider: 'cpu', threads: 1 })
})
afterAll(async () => {
  await detector?.close()
  rmSync(scratch, { recursive: true, force: true })
})

describe('image file → tensor', () => {
  for (const name of ['landscape-320x256', 'portrait-256x320', 'downscaled-400x300', 'upscaled-150x200']) {
    it(`${name}: decoded and prepared bit for bit as torchvision's transform does`, async () => {
      const image = await decodeImageFile(join(goldenDir, manifest.images[name]!.file))
      const prepared = prepareImage(image, detector.model.config.input)
      const expected = torchTensor(name)
      expect(prepared.frame).toEqual(manifest.tensors[`${name}.torchvision`]!.frame)
      let differing = 0
      for (let i = 0; i < expected.length; i++) if (prepared.data[i] !== expected[i]) differing++
      expect(differing).toBe(0)
    })
  }
})

describe('image file → detections, against torchvision', () => {
  // Fed at their own size (256/320 bounds): every detection must match to float precision.
  for (const name of ['landscape-320x256', 'portrait-256x320']) {
    it(`${name} (no resizing): same classes, boxes within 1e-3 px, scores within 1e-5`, async () => {
      const result = succeeded(await detector.detectFile(join(goldenDir, manifest.images[name]!.file)))
      const expected = expectedDetections(name)
      expect([result.width, result.height]).toEqual([manifest.images[name]!.width, manifest.images[name]!.height])
      expect(result.detections.length).toBe(expected.length)
      expect(unmatched(expected, result.detections, 1e-3, 1e-5)).toEqual([])
    })
  }

  // Resized (JPEG down by 0.8, PNG up by 1.6). The tensor is bit-identical to torch's (checked
  // above), so the graph sees the same input and the tolerances stay those of the unresized
  // case, except that boxes are scaled back by original/resized (up to 400/319 ≈ 1.25 here),
  // which scales their error with them.
  for (const name of ['downscaled-400x300', 'upscaled-150x200']) {
    it(`${name} (resized): same classes, boxes within 1e-3 px × the rescale factor, scores within 1e-5`, async () => {
      const image = manifest.images[name]!
      const frame = manifest.tensors[`${name}.torchvision`]!.frame
      const rescale = Math.max(image.width / frame.resizedWidth!, image.height / frame.resizedHeight!)
      const result = succeeded(await detector.detectFile(join(goldenDir, image.file)))
      const expected = expectedDetections(name)
      expect(result.detections.length).toBe(expected.length)
      expect(unmatched(expected, result.detections, 1e-3 * rescale, 1e-5)).toEqual([])
    })
  }

  it('a batch over several files gives each file its own detections, in order', async () => {
    const names = ['landscape-320x256', 'portrait-256x320', 'downscaled-400x300', 'landscape-320x256']
    const results: ImageResult[] = []
    for await (const result of detector.detectFiles(names.map((name) => join(goldenDir, manifest.images[name]!.file)))) results.push(result)
    expect(results.map((result) => result.path)).toEqual(names.map((name) => join(goldenDir, manifest.images[name]!.file)))
    results.forEach((result, index) => {
      expect(unmatched(expectedDetections(names[index]!), succeeded(result).detections, 2e-3, 1e-5)).toEqual([])
    })
  })
})

describe('EXIF orientation', () => {
  // The stored pixels are the fixture rotated; the EXIF tag rotates them back for display.
  for (const [orientation, storedRotation] of [[6, -90], [3, 180], [8, 90]] as const) {
    it(`orientation ${orientation}: boxes land in the displayed frame`, async () => {
      const name = 'landscape-320x256'
      const file = join(scratch, `rotated-${orientation}.png`)
      await sharp(join(goldenDir, manifest.images[name]!.file)).rotate(storedRotation).png().withMetadata({ orientation }).toFile(file)
      const stored = await sharp(file).metadata()
      expect(stored.orientation).toBe(orientation)

      const result = succeeded(await detector.detectFile(file))
      expect([result.width, result.height]).toEqual([320, 256])
      const expected = expectedDetections(name)
      expect(result.detections.length).toBe(expected.length)
      expect(unmatched(expected, result.detections, 1e-3, 1e-5)).toEqual([])
    })
  }
})

describe('bad images', () => {
  it('one bad image is reported and the others still get their detections', async () => {
    const bad = join(scratch, 'broken.png')
    writeFileSync(bad, 'not an image at all')
    const good = join(goldenDir, manifest.images['landscape-320x256']!.file)
    const results: ImageResult[] = []
    for await (const result of detector.detectFiles([good, bad, good])) results.push(result)
    expect(results.map((result) => result.ok)).toEqual([true, false, true])
    expect(results[1]).toMatchObject({ path: bad, ok: false, error: expect.stringMatching(/not a supported image/) })
  })

  it('an aborted signal stops the run with an AbortError', async () => {
    const good = join(goldenDir, manifest.images['landscape-320x256']!.file)
    const controller = new AbortController()
    const seen: ImageResult[] = []
    const run = async () => {
      for await (const result of detector.detectFiles(Array(20).fill(good), { signal: controller.signal })) {
        seen.push(result)
        controller.abort()
      }
    }
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' })
    // The run stops within one batch of the abort.
    expect(seen.length).toBeLessThanOrEqual(detector.model.maxBatchSize)
  })
})
