import { describe, expect, it } from 'vitest'
import { evaluateCoco } from '../../../src-main/core/metrics/coco-evaluation'
import { evaluationInputFromImages } from '../../../src-main/core/metrics/evaluation-input'
import { scoreBin, scoreHistograms } from '../../../src-main/core/metrics/score-histogram'

const square = (x: number) => [x, 0, x + 10, 10] as [number, number, number, number]

describe('scoreHistograms', () => {
  const evaluation = evaluateCoco(
    evaluationInputFromImages(
      [
        {
          groundTruth: [
            { classIndex: 0, box: square(0) },
            { classIndex: 0, box: square(20) },
            { classIndex: 1, box: [100, 0, 200, 100], crowd: true },
          ],
          detections: [
            { classIndex: 0, score: 1, box: square(0) }, // TP, the last bin includes 1
            { classIndex: 0, score: 0.05, box: square(20) }, // TP, the second bin starts at 0.05
            { classIndex: 0, score: 0.5, box: square(0) }, // FP: a second detection of a found box
            { classIndex: 1, score: 0.049, box: square(300) }, // FP in the first bin
            { classIndex: 1, score: 0.9, box: [120, 0, 140, 20] }, // inside the crowd region: neither
          ],
        },
      ],
      2,
    ),
  )
  const { overall, perCategory } = scoreHistograms(evaluation, 20)

  it('counts true and false positives at IoU 0.5 by score, per class and overall, leaving crowd matches out', () => {
    const bins = (entries: [number, number][]) => {
      const counts = new Array<number>(20).fill(0)
      for (const [bin, count] of entries) counts[bin] = count
      return counts
    }
    expect(perCategory[0]).toEqual({ truePositives: bins([[19, 1], [1, 1]]), falsePositives: bins([[10, 1]]) })
    expect(perCategory[1]).toEqual({ truePositives: bins([]), falsePositives: bins([[0, 1]]) })
    expect(overall).toEqual({ truePositives: bins([[19, 1], [1, 1]]), falsePositives: bins([[0, 1], [10, 1]]) })
  })

  it('puts each score in the bin whose edges i / bins hold it', () => {
    let state = 7
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const edgeNeighbours = Array.from({ length: 21 }, (_, i) => [i / 20, i / 20 - Number.EPSILON, i / 20 + Number.EPSILON]).flat()
    for (const score of [...edgeNeighbours, ...Array.from({ length: 2000 }, random)].filter((value) => value >= 0 && value <= 1)) {
      const bin = scoreBin(score, 20)
      expect(score >= bin / 20, `${score} in bin ${bin}`).toBe(true)
      expect(bin === 19 ? score <= 1 : score < (bin + 1) / 20, `${score} in bin ${bin}`).toBe(true)
    }
    expect(scoreBin(-0.5, 20)).toBe(0)
    expect(scoreBin(1.5, 20)).toBe(19)
  })
})
