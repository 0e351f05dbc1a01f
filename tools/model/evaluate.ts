/**
 * Measures a detection model through the app's own engine (openDetector: sharp decoding,
 * preprocessing, onnxruntime-node, decoding and NMS) on a folder of images with COCO ground
 * truth: COCO-style mAP@0.5, mAP@[.5:.95] and per-class AP (101-point interpolation, at most
 * 100 detections per image), plus precision/recall at IoU 0.5 at the model's operating point
 * (its config's labelThreshold, per class where it names one) and at score 0.5.
 *
 *   npx tsx tools/model/evaluate.ts <images-dir> [--ground-truth <coco.json>] [--model <model.onnx>]
 *                                   [--known-classes-only] [--out <report.json>]
 *
 * The ground truth defaults to `annotations.json` (or `ground-truth.json`) inside the folder,
 * the model to the bundled one. A category the model lacks stops the evaluation, unless
 * `--known-classes-only` leaves its boxes out (named on stderr): how a base model does on the
 * old classes of a set that also holds a class only a trained model knows.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openDetector } from '../../src-main/core/detect/detector'
import { readCocoGroundTruth } from '../../src-main/core/metrics/coco-ground-truth'
import { summarizeCoco } from '../../src-main/core/metrics/coco-summary'
import { precisionRecall } from '../../src-main/core/metrics/precision-recall'
import type { EvaluatedImage } from '../../src-main/core/metrics/types'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'ground-truth': { type: 'string' },
    model: { type: 'string' },
    'known-classes-only': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
})
const imagesDir = positionals[0]
if (!imagesDir) {
  console.error(
    'usage: npx tsx tools/model/evaluate.ts <images-dir> [--ground-truth <coco.json>] [--model <model.onnx>] [--known-classes-only] [--out <report.json>]',
  )
  process.exit(2)
}
const groundTruthPath =
  values['ground-truth'] ?? [join(imagesDir, 'annotations.json'), join(imagesDir, 'ground-truth.json')].find((p) => existsSync(p))
if (!groundTruthPath) {
  console.error(`no ground truth: ${imagesDir} has neither annotations.json nor ground-truth.json; pass --ground-truth`)
  process.exit(2)
}

const detector = await openDetector(values.model ? { modelPath: values.model } : {})
try {
  const config = detector.model.config
  const classNames = Array.from({ length: config.numClasses }, (_, i) => config.classes.find((c) => c.index === i)?.name ?? '')
  const coco = JSON.parse(readFileSync(groundTruthPath, 'utf8')) as CocoFile
  const truth = readCocoGroundTruth(values['known-classes-only'] ? withoutUnknownClasses(coco, classNames) : coco, classNames)
  const files = [...truth.keys()]
  const paths = files.map((f) => resolve(imagesDir, f))
  const evaluated: EvaluatedImage[] = []
  const started = performance.now()
  let i = 0
  for await (const result of detector.detectFiles(paths)) {
    if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
    evaluated.push({ groundTruth: truth.get(files[i]!)!, detections: result.detections })
    i++
    if (i % 50 === 0) console.error(`${i}/${paths.length} images`)
  }
  const seconds = (performance.now() - started) / 1000
  const summary = summarizeCoco(evaluated, config.numClasses)
  const atHalf = precisionRecall(evaluated, 0.5, 0.5)
  // The operating point: each class's detections from its own label threshold on.
  const thresholdOf = (classIndex: number) => {
    const name = classNames[classIndex] ?? ''
    return config.labelThreshold.perClass[name] ?? config.labelThreshold.score
  }
  const labelled = evaluated.map((e) => ({ ...e, detections: e.detections.filter((d) => d.score >= thresholdOf(d.classIndex)) }))
  const operatingPoint = precisionRecall(labelled, 0.5, 0)
  const boxes = evaluated.reduce((n, e) => n + e.groundTruth.length, 0)

  console.log(`model: ${detector.model.path} (${detector.model.provider.used})`)
  console.log(`images: ${evaluated.length} with ${boxes} boxes, ${(seconds / evaluated.length).toFixed(3)} s/image`)
  console.log(`mAP@0.5       ${summary.map50.toFixed(4)}`)
  console.log(`mAP@[.5:.95]  ${summary.map.toFixed(4)}`)
  for (const c of summary.perClass) {
    console.log(`  ${classNames[c.classIndex]!.padEnd(10)} AP50 ${c.ap50.toFixed(4)}  AP ${c.ap.toFixed(4)}`)
  }
  const describe = (label: string, point: typeof atHalf) =>
    console.log(
      `at IoU 0.5, ${label}: precision ${point.precision.toFixed(4)}, recall ${point.recall.toFixed(4)} ` +
        `(TP ${point.truePositives}, FP ${point.falsePositives}, FN ${point.falseNegatives})`,
    )
  const perClassText = Object.entries(config.labelThreshold.perClass).map(([name, score]) => `${name} ${score}`).join(', ')
  describe(`label threshold ${config.labelThreshold.score}${perClassText ? ` (${perClassText})` : ''}`, operatingPoint)
  describe('score ≥ 0.5', atHalf)
  if (values.out) {
    const report = {
      model: detector.model.path,
      images: evaluated.length,
      boxes,
      ...summary,
      perClass: summary.perClass.map((c) => ({ ...c, name: classNames[c.classIndex] })),
      labelThreshold: config.labelThreshold,
      operatingPoint,
      atScoreHalf: atHalf,
    }
    writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n')
  }
} finally {
  await detector.close()
}

interface CocoFile {
  categories?: { id: number; name: string }[]
  annotations?: { category_id: number }[]
}

/** The file without the categories (and their boxes) the model has no class for. */
function withoutUnknownClasses(coco: CocoFile, classNames: readonly string[]): CocoFile {
  const unknown = (coco.categories ?? []).filter((c) => !classNames.includes(c.name))
  if (unknown.length === 0) return coco
  const unknownIds = new Set(unknown.map((c) => c.id))
  const kept = (coco.annotations ?? []).filter((a) => !unknownIds.has(a.category_id))
  const names = unknown.map((c) => c.name).join(', ')
  console.error(`left out ${(coco.annotations?.length ?? 0) - kept.length} boxes of classes the model lacks: ${names}`)
  return { ...coco, categories: coco.categories!.filter((c) => !unknownIds.has(c.id)), annotations: kept }
}
