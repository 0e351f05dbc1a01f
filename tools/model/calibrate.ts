/**
 * The model's operating point, measured through the app's own engine: the label threshold of
 * best F1 on a validation set the training never saw (COCO matching at IoU 0.5), overall and per
 * class. Per-class thresholds are kept only where they raise the overall F1 by at least
 * PER_CLASS_GAIN; the other classes use the overall one. Thresholds are on a 0.01 grid from 0.05
 * (the engine's score floor) to 0.95. With `--write`, the result becomes the `labelThreshold` of
 * the model's JSON config (export.py --calibrate runs this after exporting).
 *
 *   npx tsx --tsconfig tsconfig.node.json tools/model/calibrate.ts <coco-dir> [--model <model.onnx>] [--write] [--out <report.json>]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { defaultConfigPath } from '../../src-main/core/detect/config'
import { openDetector } from '../../src-main/core/detect/detector'
import { evaluateCoco } from '../../src-main/core/metrics/coco-evaluation'
import { readCocoGroundTruth } from '../../src-main/core/metrics/coco-ground-truth'
import { evaluationInputFromImages } from '../../src-main/core/metrics/evaluation-input'
import { operatingPoints, type OperatingPoint } from '../../src-main/core/metrics/precision-recall'
import type { EvaluatedImage } from '../../src-main/core/metrics/types'

const PER_CLASS_GAIN = 0.005
const GRID = Array.from({ length: 91 }, (_, i) => Math.round((0.05 + i * 0.01) * 100) / 100)

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { model: { type: 'string' }, write: { type: 'boolean' }, out: { type: 'string' } },
})
const setDir = positionals[0]
if (!setDir) {
  console.error('usage: npx tsx tools/model/calibrate.ts <coco-dir> [--model <model.onnx>] [--write] [--out <report.json>]')
  process.exit(2)
}
const truthPath = [join(setDir, 'annotations.json'), join(setDir, 'ground-truth.json')].find((p) => existsSync(p))
if (!truthPath) {
  console.error(`no ground truth: ${setDir} has neither annotations.json nor ground-truth.json`)
  process.exit(2)
}

const f1 = (p: OperatingPoint) => (p.precision + p.recall > 0 ? (2 * p.precision * p.recall) / (p.precision + p.recall) : 0)
const described = (p: OperatingPoint) => ({ ...p, f1: f1(p) })

const detector = await openDetector(values.model ? { modelPath: values.model } : {})
try {
  const config = detector.model.config
  const classNames = Array.from({ length: config.numClasses }, (_, i) => config.classes.find((c) => c.index === i)?.name ?? '')
  const truth = readCocoGroundTruth(JSON.parse(readFileSync(truthPath, 'utf8')), classNames)
  const files = [...truth.keys()]
  const images: EvaluatedImage[] = []
  let i = 0
  for await (const result of detector.detectFiles(files.map((f) => resolve(setDir, f)))) {
    if (!result.ok) throw new Error(`${result.path}: ${result.error}`)
    images.push({ groundTruth: truth.get(files[i]!)!, detections: result.detections })
    i++
  }
  const evaluation = evaluateCoco(evaluationInputFromImages(images, config.numClasses))
  const sweep = GRID.map((score) => ({ score, ...operatingPoints(evaluation, score) }))
  const best = <T>(items: T[], f: (item: T) => number) => items.reduce((a, b) => (f(b) > f(a) ? b : a))
  const overall = best(sweep, (s) => f1(s.overall))
  const perClass = classNames.map((_, c) => best(sweep, (s) => f1(s.perCategory[c]!)).score)
  const mixed = operatingPoints(evaluation, perClass)
  const usePerClass = f1(mixed.overall) >= f1(overall.overall) + PER_CLASS_GAIN
  const chosen = usePerClass ? mixed : overall
  const labelThreshold: { score: number; perClass?: Record<string, number> } = { score: overall.score }
  if (usePerClass) {
    labelThreshold.perClass = Object.fromEntries(classNames.map((name, c) => [name, perClass[c]!]).filter(([, t]) => t !== overall.score))
  }
  const report = {
    model: detector.model.path,
    set: resolve(setDir),
    images: images.length,
    boxes: images.reduce((n, e) => n + e.groundTruth.length, 0),
    labelThreshold,
    operatingPoint: described(chosen.overall),
    perClass: Object.fromEntries(classNames.map((name, c) => [name, { threshold: usePerClass ? perClass[c]! : overall.score, ...described(chosen.perCategory[c]!) }])),
    uniform: { score: overall.score, ...described(overall.overall) },
    perClassThresholds: { used: usePerClass, thresholds: Object.fromEntries(classNames.map((name, c) => [name, perClass[c]!])), ...described(mixed.overall) },
  }
  const p = report.operatingPoint
  console.log(`label threshold ${JSON.stringify(labelThreshold)} on ${report.images} images (${report.boxes} boxes):`)
  console.log(`  precision ${p.precision.toFixed(4)}, recall ${p.recall.toFixed(4)}, F1 ${p.f1.toFixed(4)} (TP ${p.truePositives}, FP ${p.falsePositives}, FN ${p.falseNegatives})`)
  console.log(`  one threshold for all: ${overall.score}, F1 ${report.uniform.f1.toFixed(4)}; per class ${JSON.stringify(report.perClassThresholds.thresholds)}, F1 ${report.perClassThresholds.f1.toFixed(4)}`)
  for (const [name, c] of Object.entries(report.perClass)) {
    console.log(`  ${name.padEnd(10)} at ${c.threshold}: precision ${c.precision.toFixed(4)}, recall ${c.recall.toFixed(4)}`)
  }
  if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n')
  if (values.write) {
    const configPath = defaultConfigPath(detector.model.path)
    const json = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>
    writeFileSync(configPath, JSON.stringify({ ...json, labelThreshold }, null, 2) + '\n')
    console.log(`wrote labelThreshold to ${configPath}`)
  }
} finally {
  await detector.close()
}
