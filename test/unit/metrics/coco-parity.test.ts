/**
 * Parity with pycocotools' COCOeval (bbox): every fixture under test/fixtures/eval was written
 * by tools/eval/make_parity_fixtures.py together with the numbers pycocotools computed on it.
 * Compared: the twelve summary numbers, AP and AP50 per category, the mean precision of every
 * (IoU threshold, category, area range, maxDets) cell, the whole recall array, and the 101-point
 * precision curves at IoU 0.5 and 0.75.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readCocoEvaluationFiles } from '../../../src-main/core/metrics/coco-files'
import { evaluateCoco, precisionCurve } from '../../../src-main/core/metrics/coco-evaluation'
import { IOU_75_INDEX, RECALL_THRESHOLDS } from '../../../src-main/core/metrics/coco-parameters'
import { SUMMARY_KEYS } from '../../../src-main/core/metrics/coco-statistics'

const fixtures = fileURLToPath(new URL('../../fixtures/eval/', import.meta.url))
const TOLERANCE = 1e-6

interface Expected {
  summary: Record<string, number>
  perCategory: { categoryId: number; AP: number | null; AP50: number | null }[]
  meanPrecision: number[][][][]
  recall: number[][][][]
  precisionCurves: { iou50: number[][]; iou75: number[][] }
}

const read = (name: string, file: string) => JSON.parse(readFileSync(join(fixtures, name, file), 'utf8')) as unknown
const cases = readdirSync(fixtures).sort()

/** Largest absolute difference between two equally shaped lists of numbers (null counts as −1). */
function maxDifference(actual: readonly (number | null)[], expected: readonly (number | null)[]): number {
  expect(actual.length).toBe(expected.length)
  return actual.reduce<number>((most, value, i) => Math.max(most, Math.abs((value ?? -1) - (expected[i] ?? -1))), 0)
}

describe('COCO evaluation parity with pycocotools', () => {
  it('has the fixtures the parity promise names', () => {
    expect(cases).toEqual(['absent-categories', 'area-ranges', 'crowd', 'empty-and-false-positives', 'many-detections', 'random-mix', 'score-ties'])
  })

  describe.each(cases)('%s', (name) => {
    const expected = read(name, 'expected.json') as Expected
    const files = readCocoEvaluationFiles(read(name, 'ground-truth.json'), read(name, 'detections.json'))
    const evaluation = evaluateCoco(files.input)
    const { T, K, A, M, R } = evaluation.accumulated.counts

    it('gives the twelve summary numbers', () => {
      const actual = SUMMARY_KEYS.map((key) => evaluation.summary[key])
      expect(maxDifference(actual, SUMMARY_KEYS.map((key) => expected.summary[key]!))).toBeLessThanOrEqual(TOLERANCE)
    })

    it('gives AP and AP50 per category', () => {
      expect(files.categories.map((c) => c.id)).toEqual(expected.perCategory.map((c) => c.categoryId))
      for (const [k, category] of expected.perCategory.entries()) {
        const actual = evaluation.perCategory[k]!
        expect(actual.ap === null).toBe(category.AP === null)
        expect(maxDifference([actual.ap, actual.ap50], [category.AP, category.AP50])).toBeLessThanOrEqual(TOLERANCE)
      }
    })

    it('accumulates the same precision and recall for every IoU, category, area range and maxDets', () => {
      const meanPrecision: number[] = []
      const recall: number[] = []
      const expectedMean: number[] = []
      const expectedRecall: number[] = []
      for (let t = 0; t < T; t++) {
        for (let k = 0; k < K; k++) {
          for (let a = 0; a < A; a++) {
            for (let m = 0; m < M; m++) {
              let sum = 0
              let count = 0
              for (let r = 0; r < R; r++) {
                const value = evaluation.accumulated.precision[(((t * R + r) * K + k) * A + a) * M + m]!
                if (value > -1) {
                  sum += value
                  count++
                }
              }
              meanPrecision.push(count === 0 ? -1 : sum / count)
              recall.push(evaluation.accumulated.recall[((t * K + k) * A + a) * M + m]!)
              expectedMean.push(expected.meanPrecision[t]![k]![a]![m]!)
              expectedRecall.push(expected.recall[t]![k]![a]![m]!)
            }
          }
        }
      }
      expect(maxDifference(meanPrecision, expectedMean)).toBeLessThanOrEqual(TOLERANCE)
      expect(maxDifference(recall, expectedRecall)).toBeLessThanOrEqual(TOLERANCE)
    })

    it('gives the 101-point precision curves at IoU 0.5 and 0.75', () => {
      for (let k = 0; k < K; k++) {
        for (const [iouIndex, curves] of [[0, expected.precisionCurves.iou50], [IOU_75_INDEX, expected.precisionCurves.iou75]] as const) {
          const wanted = curves[k]!
          const curve = precisionCurve(evaluation, k, iouIndex)
          if (wanted[0] === -1) {
            expect(curve).toEqual([])
            continue
          }
          expect(curve.map((point) => point.recall)).toEqual(RECALL_THRESHOLDS)
          expect(maxDifference(curve.map((point) => point.precision), wanted)).toBeLessThanOrEqual(TOLERANCE)
        }
      }
    })
  })
})
