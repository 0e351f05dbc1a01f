/**
 * The score at each recall threshold (pycocotools' eval['scores']) checked against a direct
 * transcription of COCOeval.accumulate(): concatenate the per-image lists, mergesort by score,
 * cumulate true positives, searchsorted(side='left') for every recall threshold, read the
 * sorted scores there, and stop at the first index past the end (its try/except).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DetectionOutcome } from '../../../src-main/core/metrics/coco-matching'
import { evaluateCoco, precisionCurve, type CocoEvaluation } from '../../../src-main/core/metrics/coco-evaluation'
import { readCocoEvaluationFiles } from '../../../src-main/core/metrics/coco-files'
import { AREA_RANGES, IOU_THRESHOLDS, MAX_DETECTIONS, RECALL_THRESHOLDS } from '../../../src-main/core/metrics/coco-parameters'
import { evaluationInputFromImages } from '../../../src-main/core/metrics/evaluation-input'

const fixtures = fileURLToPath(new URL('../../fixtures/eval/', import.meta.url))
const read = (name: string, file: string) => JSON.parse(readFileSync(join(fixtures, name, file), 'utf8')) as unknown

/** pycocotools' scores (or −1 for a category without counted ground truth) for one (t, k, a, m). */
function referenceScores(evaluation: CocoEvaluation, t: number, k: number, a: number, m: number): number[] {
  const matches = evaluation.matches.categories[k]!
  const counted = matches.groundTruthCount[a]!
  if (counted === 0) return RECALL_THRESHOLDS.map(() => -1)
  const outcomes = (a * IOU_THRESHOLDS.length + t) * matches.count
  const kept: { score: number; outcome: number }[] = []
  for (let i = 0; i < matches.count; i++) if (matches.rank[i]! < MAX_DETECTIONS[m]!) kept.push({ score: matches.score[i]!, outcome: matches.outcome[outcomes + i]! })
  const sorted = kept.map((entry, index) => ({ ...entry, index })).sort((x, y) => y.score - x.score || x.index - y.index)
  let truePositives = 0
  const recall = sorted.map((entry) => (entry.outcome === DetectionOutcome.TruePositive ? ++truePositives : truePositives) / counted)
  const scores = RECALL_THRESHOLDS.map(() => 0)
  for (let r = 0; r < RECALL_THRESHOLDS.length; r++) {
    let index = 0
    while (index < recall.length && recall[index]! < RECALL_THRESHOLDS[r]!) index++
    if (index >= sorted.length) break
    scores[r] = sorted[index]!.score
  }
  return scores
}

describe('scores along the precision curve', () => {
  it('reads, at each recall threshold, the score of the detection where the ranking reaches it', () => {
    // Four boxes; ranked: FP 0.95, TP 0.9, TP 0.8, FP 0.7, TP 0.6, TP 0.4.
    const square = (x: number) => [x, 0, x + 10, 10] as [number, number, number, number]
    const evaluation = evaluateCoco(
      evaluationInputFromImages(
        [
          {
            groundTruth: [0, 20, 40, 60].map((x) => ({ classIndex: 0, box: square(x) })),
            detections: [0.95, 0.9, 0.8, 0.7, 0.6, 0.4].map((score, i) => ({ classIndex: 0, score, box: square([300, 0, 20, 200, 40, 60][i]!) })),
          },
        ],
        1,
      ),
    )
    const curve = precisionCurve(evaluation, 0)
    const at = (recall: number) => curve[Math.round(recall * 100)]!
    expect(at(0).score).toBe(0.95) // recall 0 is the first ranked detection, a false positive here
    expect(at(0.01).score).toBe(0.9)
    expect(at(0.25).score).toBe(0.9)
    expect(at(0.26).score).toBe(0.8)
    expect(at(0.75).score).toBe(0.6)
    expect(at(1).score).toBe(0.4)
    expect(at(1).precision).toBeCloseTo(4 / 6, 12)
  })

  it('is 0 past the highest recall reached', () => {
    const box = [0, 0, 10, 10] as [number, number, number, number]
    const evaluation = evaluateCoco(
      evaluationInputFromImages([{ groundTruth: [{ classIndex: 0, box }, { classIndex: 0, box: [50, 50, 60, 60] }], detections: [{ classIndex: 0, score: 0.7, box }] }], 1),
    )
    const curve = precisionCurve(evaluation, 0)
    expect(curve.slice(0, 51).every((point) => point.score === 0.7)).toBe(true)
    expect(curve.slice(51).every((point) => point.score === 0 && point.precision === 0)).toBe(true)
  })

  describe.each(readdirSync(fixtures).sort())('on the parity fixture %s', (name) => {
    const files = readCocoEvaluationFiles(read(name, 'ground-truth.json'), read(name, 'detections.json'))
    const evaluation = evaluateCoco(files.input)
    const { T, R, K, A, M } = evaluation.accumulated.counts

    it('equals the transcription of accumulate() in every (IoU, category, area, maxDets) cell', () => {
      let compared = 0
      for (let t = 0; t < T; t++)
        for (let k = 0; k < K; k++)
          for (let a = 0; a < A; a++)
            for (let m = 0; m < M; m++) {
              const actual = RECALL_THRESHOLDS.map((_, r) => evaluation.accumulated.scores[(((t * R + r) * K + k) * A + a) * M + m]!)
              expect(actual, `t ${t} k ${k} a ${a} m ${m}`).toEqual(referenceScores(evaluation, t, k, a, m))
              compared++
            }
      expect(compared).toBe(T * K * AREA_RANGES.length * M)
    })

    it('hands the IoU 0.5 scores out with the curve', () => {
      for (let k = 0; k < K; k++) {
        const curve = precisionCurve(evaluation, k)
        if (curve.length > 0) expect(curve.map((point) => point.score)).toEqual(referenceScores(evaluation, 0, k, 0, M - 1))
      }
    })
  })
})
