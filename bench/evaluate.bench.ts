/**
 * COCO evaluation speed: 5,000 images × 100 detections (10 classes, ~8 boxes an image, 2% crowd
 * regions) evaluated by src-main/core/metrics (matching + accumulation + summary) against
 * pycocotools' COCOeval evaluate() + accumulate() on the same data in the same run; the twelve
 * numbers of both are compared too. The Python side runs when PYCOCOTOOLS_PATH names a
 * pycocotools build importable by /usr/bin/python3 (tools/eval/build-pycocotools.sh), and says
 * why it was skipped otherwise. Then what the evaluation report reads off the same matching
 * (per-box classification, confusion matrix, operating points, threshold suggestions, curves
 * with scores, score histograms, the boxes behind a cell), timed against the evaluation itself.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { classifyBoxes } from '../src-main/core/metrics/box-classification'
import { evaluateCoco, precisionCurve, type CocoEvaluation } from '../src-main/core/metrics/coco-evaluation'
import { confusionMatrix, detectionCell } from '../src-main/core/metrics/confusion-matrix'
import { operatingPoints } from '../src-main/core/metrics/precision-recall'
import { scoreHistograms } from '../src-main/core/metrics/score-histogram'
import { suggestThresholds } from '../src-main/core/metrics/threshold-suggestions'
import { readCocoEvaluationFiles } from '../src-main/core/metrics/coco-files'
import { SUMMARY_KEYS, type CocoSummary } from '../src-main/core/metrics/coco-statistics'
import { seededRandom } from '../test/helpers/seeded-random'

const IMAGES = 5_000
const DETECTIONS_PER_IMAGE = 100
const CLASSES = 10
const PYTHON = '/usr/bin/python3'
const repoRoot = fileURLToPath(new URL('../', import.meta.url))

function makeData() {
  const random = seededRandom(14)
  const round = (value: number) => Math.round(value * 100) / 100
  const randomBox = (): [number, number, number, number] => {
    const w = 8 + random() * 250
    const h = 8 + random() * 250
    return [round(random() * (640 - w)), round(random() * (480 - h)), round(w), round(h)]
  }
  const images = Array.from({ length: IMAGES }, (_, i) => ({ id: i + 1, file_name: `${i + 1}.jpg`, width: 640, height: 480 }))
  const annotations: { id: number; image_id: number; category_id: number; bbox: number[]; area: number; iscrowd: number }[] = []
  const detections: { image_id: number; category_id: number; bbox: number[]; score: number }[] = []
  for (const image of images) {
    const boxes = Array.from({ length: 4 + Math.floor(random() * 9) }, () => ({ category: 1 + Math.floor(random() * CLASSES), bbox: randomBox() }))
    for (const box of boxes) {
      const crowd = random() < 0.02 ? 1 : 0
      annotations.push({ id: annotations.length + 1, image_id: image.id, category_id: box.category, bbox: box.bbox, area: box.bbox[2] * box.bbox[3], iscrowd: crowd })
    }
    for (let d = 0; d < DETECTIONS_PER_IMAGE; d++) {
      const score = Math.round(random() * 1000) / 1000
      if (random() < 0.6) {
        const target = boxes[Math.floor(random() * boxes.length)]!
        const [x, y, w, h] = target.bbox
        const jitter = () => (random() - 0.5) * 0.4
        const category = random() < 0.9 ? target.category : 1 + Math.floor(random() * CLASSES)
        detections.push({ image_id: image.id, category_id: category, bbox: [round(x + jitter() * w), round(y + jitter() * h), round(w * (1 + jitter())), round(h * (1 + jitter()))], score })
      } else {
        detections.push({ image_id: image.id, category_id: 1 + Math.floor(random() * CLASSES), bbox: randomBox(), score })
      }
    }
  }
  const categories = Array.from({ length: CLASSES }, (_, k) => ({ id: k + 1, name: `class-${k + 1}` }))
  return { groundTruth: { images, annotations, categories }, detections }
}

/** The report's figures read off one evaluation, median of 3, as a share of the evaluation's own time. */
function timeReportAssembly(evaluation: CocoEvaluation, evaluationSeconds: number): void {
  const walls: number[] = []
  for (let repeat = 0; repeat < 3; repeat++) {
    const start = performance.now()
    const thresholds = Array.from({ length: CLASSES }, (_, k) => 0.3 + k * 0.05)
    const classification = classifyBoxes(evaluation, thresholds)
    confusionMatrix(evaluation, thresholds, classification)
    operatingPoints(evaluation, thresholds)
    suggestThresholds(evaluation, 0.9)
    for (let k = 0; k < CLASSES; k++) precisionCurve(evaluation, k)
    scoreHistograms(evaluation)
    let behindCell = 0
    for (let d = 0; d < evaluation.input.detections.count; d++) {
      const cell = detectionCell(evaluation.input, classification, d)
      if (cell !== null && cell[0] === CLASSES && cell[1] === 0) behindCell++
    }
    walls.push((performance.now() - start) / 1000)
    if (behindCell < 0) throw new Error('unreachable')
  }
  const median = [...walls].sort((a, b) => a - b)[1]!
  console.log(
    `report assembly (classification, confusion, operating points, suggestions, curves, histograms, one cell's boxes) median of 3: ` +
      `${median.toFixed(3)} s wall (walls ${walls.map((w) => w.toFixed(3)).join(', ')}), ${(median / evaluationSeconds).toFixed(2)}× the evaluation's time`,
  )
}

function pycocotoolsUnavailable(): string | null {
  const path = process.env.PYCOCOTOOLS_PATH
  if (!path) return 'PYCOCOTOOLS_PATH is not set (build it with tools/eval/build-pycocotools.sh)'
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`
  const probe = spawnSync(PYTHON, ['-c', 'import pycocotools.cocoeval'], { env: { ...process.env, PYTHONPATH: path }, encoding: 'utf8' })
  return probe.status === 0 ? null : `pycocotools is not importable from ${path}: ${probe.stderr.trim().split('\n').at(-1)}`
}

export async function run(): Promise<void> {
  const { groundTruth, detections } = makeData()
  console.log(`data: ${IMAGES} images, ${groundTruth.annotations.length} ground-truth boxes, ${detections.length} detections, ${CLASSES} classes`)
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1/5/15 min) on a machine shared with other work`)

  const readStart = performance.now()
  const files = readCocoEvaluationFiles(groundTruth, detections)
  const readSeconds = (performance.now() - readStart) / 1000
  const samples: { wall: number; cpu: number }[] = []
  let summary: CocoSummary | undefined
  for (let repeat = 0; repeat < 3; repeat++) {
    const start = performance.now()
    const cpu = process.cpuUsage()
    summary = evaluateCoco(files.input).summary
    const used = process.cpuUsage(cpu)
    samples.push({ wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 })
  }
  // The median by wall time; CPU time says more on a loaded machine.
  const typescript = [...samples].sort((a, b) => a.wall - b.wall)[1]!
  console.log(
    `TypeScript: reading the JSON objects into columns ${readSeconds.toFixed(3)} s; evaluation (match + accumulate + summarize) median of 3: ` +
      `${typescript.wall.toFixed(3)} s wall, ${typescript.cpu.toFixed(3)} s CPU (walls ${samples.map((s) => s.wall.toFixed(3)).join(', ')})`,
  )

  timeReportAssembly(evaluateCoco(files.input), typescript.wall)

  const unavailable = pycocotoolsUnavailable()
  if (unavailable) {
    console.log(`pycocotools: skipped — ${unavailable}`)
    return
  }
  const folder = await mkdtemp(join(tmpdir(), 'rw-bench-evaluate-'))
  try {
    await writeFile(join(folder, 'ground-truth.json'), JSON.stringify(groundTruth))
    await writeFile(join(folder, 'detections.json'), JSON.stringify(detections))
    const python = spawnSync(PYTHON, [join(repoRoot, 'tools/eval/pycocotools_reference.py'), 'time', join(folder, 'ground-truth.json'), join(folder, 'detections.json')], {
      env: { ...process.env, PYTHONPATH: process.env.PYCOCOTOOLS_PATH },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    })
    if (python.status !== 0) throw new Error(`pycocotools failed: ${python.stderr}`)
    const reference = JSON.parse(python.stdout.trim().split('\n').at(-1)!) as { seconds: number; cpuSeconds: number; summary: CocoSummary }
    const difference = Math.max(...SUMMARY_KEYS.map((key) => Math.abs(reference.summary[key] - summary![key])))
    console.log(`pycocotools: evaluate() + accumulate() ${reference.seconds.toFixed(3)} s wall, ${reference.cpuSeconds.toFixed(3)} s CPU`)
    console.log(
      `ratio: TypeScript is ${(reference.seconds / typescript.wall).toFixed(1)}× faster by wall time, ` +
        `${(reference.cpuSeconds / typescript.cpu).toFixed(1)}× by CPU time (target ≥ 5×)`,
    )
    console.log(`the twelve numbers agree within ${difference.toExponential(2)} (AP ${summary!.AP.toFixed(4)}, AP50 ${summary!.AP50.toFixed(4)}, AR100 ${summary!.AR100.toFixed(4)})`)
    console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
  } finally {
    await rm(folder, { recursive: true, force: true })
  }
}
