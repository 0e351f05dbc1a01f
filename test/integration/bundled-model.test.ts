/**
 * The bundled model, run through the app's own engine, finds the shapes in the bundled
 * samples (resources/samples, ground truth in ground-truth.json, in the displayed frame of
 * each image, so the EXIF-rotated samples check orientation handling end to end too).
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLED_MODEL_PATH, openDetector, type Detector } from '../../src-main/core/detect/detector'
import { readCocoGroundTruth } from '../../src-main/core/metrics/coco-ground-truth'
import { precisionRecall } from '../../src-main/core/metrics/precision-recall'
import type { EvaluatedImage } from '../../src-main/core/metrics/types'

const samplesDir = fileURLToPath(new URL('../../resources/samples/', import.meta.url))
const CLASSES = ['circle', 'square', 'triangle', 'star', 'hexagon']

describe('bundled model on the bundled samples', () => {
  let detector: Detector
  let evaluated: Map<string, EvaluatedImage>
  let results: Map<string, { width: number; height: number; detections: EvaluatedImage['detections'] }>

  beforeAll(async () => {
    detector = await openDetector({ provider: 'cpu' })
    const truth = readCocoGroundTruth(JSON.parse(readFileSync(join(samplesDir, 'ground-truth.json'), 'utf8')), CLASSES)
    const files = [...truth.keys()]
    evaluated = new Map()
    results = new Map()
    let i = 0
    for await (const result of detector.detectFiles(files.map((f) => join(samplesDir, f)))) {
      if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
      evaluated.set(files[i]!, { groundTruth: truth.get(files[i]!)!, detections: result.detections })
      results.set(files[i]!, result)
      i++
    }
  }, 300_000)

  afterAll(async () => {
    await detector?.close()
  })

  it('is the five-class shapes model, small enough to ship', () => {
    expect(detector.model.config.classes.map((c) => c.name)).toEqual(CLASSES)
    expect(statSync(BUNDLED_MODEL_PATH).size).toBeLessThanOrEqual(10 * 1024 * 1024)
  })

  it('covers the samples the app ships, including EXIF-rotated and very large ones', () => {
    const files = [...evaluated.keys()]
    expect(files.length).toBeGreaterThanOrEqual(12)
    expect(files.filter((f) => f.includes('exif-orientation'))).toHaveLength(2)
    expect(files.some((f) => f.includes('large'))).toBe(true)
  })

  it('reports each image in its displayed frame, EXIF-rotated ones included', () => {
    // ground-truth.json records the displayed size; a detector that ignored the EXIF
    // orientation would report the stored (transposed) size and boxes in that frame.
    const sizes = new Map(
      (JSON.parse(readFileSync(join(samplesDir, 'ground-truth.json'), 'utf8')) as { images: { file_name: string; width: number; height: number }[] }).images.map(
        (im) => [im.file_name, [im.width, im.height]],
      ),
    )
    for (const [file, result] of results) {
      expect([result.width, result.height], file).toEqual(sizes.get(file))
      for (const d of result.detections) {
        expect(d.box[2], file).toBeLessThanOrEqual(result.width + 1e-3)
        expect(d.box[3], file).toBeLessThanOrEqual(result.height + 1e-3)
      }
    }
  })

  // At the model's operating point (its config's labelThreshold, calibrated on validation scenes
  // when the model was exported; per class where it names one): the figures MODEL_CARD.md
  // promises a new user on the samples.
  it('finds at least 85% of the shapes, with at least 85% of its labels right (IoU 0.5, at its label threshold)', () => {
    const { score, perClass } = detector.model.config.labelThreshold
    const labelled = [...evaluated.values()].map((e) => ({
      ...e,
      detections: e.detections.filter((d) => d.score >= (perClass[CLASSES[d.classIndex] ?? ''] ?? score)),
    }))
    const point = precisionRecall(labelled, 0.5, 0)
    expect(point.recall).toBeGreaterThanOrEqual(0.85)
    expect(point.precision).toBeGreaterThanOrEqual(0.85)
  })
})
