/**
 * The per-box classification behind the confusion matrix and the editor's highlights: on every
 * parity fixture and at several thresholds, the matrix built from it equals the matrix as it
 * was computed before (reference/confusion-matrix-before.ts), and every box's verdict agrees
 * with its cell.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { classifyBoxes, DetectionVerdict, GroundTruthVerdict } from '../../../src-main/core/metrics/box-classification'
import { evaluateCoco } from '../../../src-main/core/metrics/coco-evaluation'
import { readCocoEvaluationFiles } from '../../../src-main/core/metrics/coco-files'
import { confusionMatrix, detectionCell, missedCell } from '../../../src-main/core/metrics/confusion-matrix'
import { evaluationInputFromImages } from '../../../src-main/core/metrics/evaluation-input'
import { operatingPoints } from '../../../src-main/core/metrics/precision-recall'
import { referenceConfusionMatrix } from './reference/confusion-matrix-before'

const fixtures = fileURLToPath(new URL('../../fixtures/eval/', import.meta.url))
const read = (name: string, file: string) => JSON.parse(readFileSync(join(fixtures, name, file), 'utf8')) as unknown
const square = (x: number, y: number) => [x, y, x + 10, y + 10] as [number, number, number, number]

describe('classifyBoxes', () => {
  it('judges each passing detection and each box once', () => {
    const evaluation = evaluateCoco(
      evaluationInputFromImages(
        [
          {
            groundTruth: [
              { classIndex: 0, box: square(0, 0) }, // found
              { classIndex: 0, box: square(20, 0) }, // taken by a class-1 detection
              { classIndex: 1, box: square(40, 0) }, // missed
              { classIndex: 1, box: [100, 100, 300, 300], crowd: true },
            ],
            detections: [
              { classIndex: 0, score: 0.9, box: square(0, 0) },
              { classIndex: 1, score: 0.8, box: square(21, 0) },
              { classIndex: 1, score: 0.7, box: square(60, 60) },
              { classIndex: 1, score: 0.6, box: [120, 120, 140, 140] },
              { classIndex: 0, score: 0.2, box: square(40, 0) },
            ],
          },
        ],
        2,
      ),
    )
    const judged = classifyBoxes(evaluation, 0.5)
    expect([...judged.detectionVerdict]).toEqual([
      DetectionVerdict.TruePositive,
      DetectionVerdict.WrongClass,
      DetectionVerdict.Background,
      DetectionVerdict.NotJudged, // absorbed by the crowd region
      DetectionVerdict.NotJudged, // below the threshold
    ])
    expect([...judged.detectionGroundTruth]).toEqual([0, 1, -1, -1, -1])
    expect([...judged.groundTruthVerdict]).toEqual([GroundTruthVerdict.Found, GroundTruthVerdict.TakenByWrongClass, GroundTruthVerdict.Missed, GroundTruthVerdict.NotJudged])
    expect([...judged.groundTruthDetection]).toEqual([0, 1, -1, -1])
  })

  describe.each(readdirSync(fixtures).sort())('on the parity fixture %s', (name) => {
    const files = readCocoEvaluationFiles(read(name, 'ground-truth.json'), read(name, 'detections.json'))
    const evaluation = evaluateCoco(files.input)
    const { input } = evaluation
    const K = input.categoryCount
    const perClass = Array.from({ length: K }, (_, k) => [0.3, 0.6, 0.1][k % 3]!)

    it.each([0, 0.5, 0.9, perClass] as const)('builds the same matrix as before at threshold %j', (threshold) => {
      const judged = classifyBoxes(evaluation, threshold)
      const matrix = confusionMatrix(evaluation, threshold, judged)
      const reference = referenceConfusionMatrix(evaluation, threshold)
      expect(matrix).toEqual(reference)
      expect(confusionMatrix(evaluation, threshold)).toEqual(reference)

      // Cell by cell from the verdicts, and each pairing seen from both sides.
      const counts = Array.from({ length: K + 1 }, () => new Array<number>(K + 1).fill(0))
      for (let d = 0; d < input.detections.count; d++) {
        const cell = detectionCell(input, judged, d)
        if (cell) counts[cell[0]]![cell[1]]!++
        const truth = judged.detectionGroundTruth[d]!
        if (truth >= 0) expect(judged.groundTruthDetection[truth]).toBe(d)
      }
      for (let g = 0; g < input.groundTruth.count; g++) {
        const cell = missedCell(input, judged, g)
        if (cell) counts[cell[0]]![cell[1]]!++
        expect(judged.groundTruthVerdict[g] === GroundTruthVerdict.NotJudged).toBe(input.groundTruth.crowd[g] === 1)
      }
      expect(counts).toEqual(reference.counts)
      const truePositives = operatingPoints(evaluation, threshold).perCategory.map((point) => point.truePositives)
      expect(counts.slice(0, K).map((row, k) => row[k])).toEqual(truePositives)
    })
  })
})
