/**
 * Reused input tensors (core/detect/tensor-buffers.ts): a detector fills the tensor of an
 * earlier image for the next one of the same size. Nothing of the earlier image may leak into
 * the later one's detections, on the detector's thread or in a preparation worker: every result
 * of a long run must equal detecting that image alone with freshly allocated tensors.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDetector, type ImageResult } from '../../src-main/core/detect/detector'
import { loadModel } from '../../src-main/core/detect/model'
import { prepareImage } from '../../src-main/core/detect/preprocess'
import type { Detection } from '../../src-main/core/detect/types'
import { decodeImageFile } from '../../src-main/core/images/decode-image'

const modelPath = fileURLToPath(new URL('../fixtures/models/tiny-concat.onnx', import.meta.url))

let scratch: string
let paths: string[]
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'tensor-recycling-'))
  paths = []
  // Same-sized images of different content (so tensors get reused), another size in between,
  // and two sizes that share a padded tensor (minSize 256, maxSize 320): 200×150 fills 320×240
  // of a 320×256 tensor, 200×160 all of it, so a reused tensor's last rows must be padded again.
  const sizes = [[200, 160], [200, 150], [160, 96], [200, 160], [200, 150], [160, 96], [200, 150], [200, 160], [200, 150], [160, 96]] as const
  for (const [index, [width, height]] of sizes.entries()) {
    const pixels = Buffer.alloc(width * height * 3)
    let seed = 17 + index * 7919
    for (let i = 0; i < pixels.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
      pixels[i] = (seed >>> 24) ^ ((i * (index + 1)) & 0xff)
    }
    const path = join(scratch, `image-${index}.png`)
    await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(path)
    paths.push(path)
  }
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Each image alone: decoded, prepared into a fresh tensor, run and decoded. Score threshold 0 keeps every box. */
async function detectEachAlone(): Promise<Detection[][]> {
  const model = await loadModel(modelPath, { provider: 'cpu', threads: 1, decodeCutoff: 0 })
  try {
    const results: Detection[][] = []
    for (const path of paths) {
      const input = prepareImage(await decodeImageFile(path), model.config.input)
      results.push((await model.detect([input]))[0]!)
    }
    return results
  } finally {
    await model.close()
  }
}

async function detectInOneRun(prepareThreads: number): Promise<ImageResult[]> {
  const detector = await openDetector({ modelPath, provider: 'cpu', threads: 1, prepareThreads, decodeCutoff: 0, lookahead: 2 })
  try {
    const results: ImageResult[] = []
    // Twice over, so the second pass fills tensors the first pass used.
    for await (const result of detector.detectFiles([...paths, ...paths])) results.push(result)
    return results
  } finally {
    await detector.close()
  }
}

describe('recycled input tensors', () => {
  for (const prepareThreads of [0, 1]) {
    it(`give every image the detections it gets alone (${prepareThreads === 0 ? "detector's thread" : 'one preparation worker'})`, async () => {
      const alone = await detectEachAlone()
      expect(alone.every((detections) => detections.length > 0)).toBe(true)
      const results = await detectInOneRun(prepareThreads)
      expect(results).toHaveLength(2 * paths.length)
      for (const [index, result] of results.entries()) {
        if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
        expect(result.detections, `${result.path} (position ${index})`).toEqual(alone[index % paths.length])
      }
    })
  }
})
