import { describe, expect, it } from 'vitest'
import { evaluateProjectRun } from '../../../src-main/core/metrics/project-evaluation'

const classes = [
  { id: 7, name: 'square' },
  { id: 3, name: 'circle' },
]
const box = (imageId: number, classId: number, x: number) => ({ imageId, classId, x1: x, y1: 0, x2: x + 20, y2: 20 })

describe('evaluateProjectRun', () => {
  it('scores labels that are exactly the detections as perfect, classes ordered by id', () => {
    const detections = [
      { ...box(10, 3, 0), score: 0.9 },
      { ...box(10, 7, 50), score: 0.6 },
      { ...box(12, 7, 0), score: 0.8 },
    ]
    const result = evaluateProjectRun({
      classes,
      imageIds: [10, 12],
      labels: detections.map(({ score: _score, ...label }) => label),
      detections,
      labelThreshold: { score: 0.5, perClass: new Map() },
      targetPrecision: 0.9,
    })
    expect(result.summary.AP).toBeCloseTo(1, 12)
    expect(result.perClass.map((entry) => [entry.name, entry.labels, entry.truePositives])).toEqual([
      ['circle', 1, 1],
      ['square', 2, 2],
    ])
    expect(result.confusion.counts).toEqual([
      [1, 0, 0],
      [0, 2, 0],
      [0, 0, 0],
    ])
    expect(result.confusion.imageIds[1]![1]).toEqual([10, 12])
  })

  it('reads each class at its own label threshold', () => {
    const result = evaluateProjectRun({
      classes,
      imageIds: [1],
      labels: [box(1, 3, 0), box(1, 7, 50)],
      detections: [
        { ...box(1, 3, 0), score: 0.6 },
        { ...box(1, 7, 50), score: 0.6 },
      ],
      labelThreshold: { score: 0.5, perClass: new Map([[7, 0.7]]) }, // square
      targetPrecision: 0.9,
    })
    expect(result.perClass.map((entry) => [entry.name, entry.labelThreshold, entry.truePositives, entry.falseNegatives])).toEqual([
      ['circle', 0.5, 1, 0],
      ['square', 0.7, 0, 1],
    ])
    expect(result.confusion.counts[1]).toEqual([0, 0, 1]) // the square is missed at 0.7
    expect(result.labelThreshold).toEqual({ score: 0.5, perClass: { square: 0.7 } })
  })

  it('refuses a box of an image outside the evaluated ones', () => {
    expect(() =>
      evaluateProjectRun({ classes, imageIds: [1], labels: [box(2, 3, 0)], detections: [], labelThreshold: { score: 0.5, perClass: new Map() }, targetPrecision: 0.9 }),
    ).toThrow(/image 2/)
  })
})
