import { describe, expect, it } from 'vitest'
import { GroundTruthError, readCocoGroundTruth } from '../../../src-main/core/metrics/coco-ground-truth'

const classes = ['circle', 'square', 'triangle']

describe('readCocoGroundTruth', () => {
  it('maps categories to class indices by name and xywh boxes to corners', () => {
    const truth = readCocoGroundTruth(
      {
        images: [{ id: 7, file_name: 'a.png' }, { id: 8, file_name: 'empty.png' }],
        categories: [{ id: 3, name: 'triangle' }, { id: 1, name: 'circle' }],
        annotations: [{ image_id: 7, category_id: 3, bbox: [10, 20, 5, 6] }],
      },
      classes,
    )
    expect(truth.get('a.png')).toEqual([{ classIndex: 2, box: [10, 20, 15, 26] }])
    expect(truth.get('empty.png')).toEqual([])
  })

  it('names the unknown category', () => {
    const json = { images: [], annotations: [], categories: [{ id: 1, name: 'hexagon' }] }
    expect(() => readCocoGroundTruth(json, classes)).toThrow(new GroundTruthError('category "hexagon" is not one of the model\'s classes (circle, square, triangle)'))
  })

  it('names the malformed field', () => {
    expect(() => readCocoGroundTruth({ images: [{ id: 1 }], annotations: [], categories: [] }, classes)).toThrow(/images\.0\.file_name/)
  })

  it('rejects annotations of unlisted images', () => {
    const json = { images: [], annotations: [{ image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] }], categories: [{ id: 1, name: 'circle' }] }
    expect(() => readCocoGroundTruth(json, classes)).toThrow(/image id 1/)
  })
})
