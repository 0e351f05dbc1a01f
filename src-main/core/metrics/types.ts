/** A box as [x1, y1, x2, y2] in pixels. */
export type Box = readonly [number, number, number, number]

export interface GroundTruthBox {
  classIndex: number
  box: Box
}

export interface ScoredBox {
  classIndex: number
  score: number
  box: Box
}

/** One image's ground truth and detections, both in the same (displayed) frame. */
export interface EvaluatedImage {
  groundTruth: readonly GroundTruthBox[]
  detections: readonly ScoredBox[]
}
