/** Per-image boxes as the detector and the database hold them (corners), for the metrics' callers. */
import type { Box } from '../../../src-shared/geometry/box'

export interface GroundTruthBox {
  classIndex: number
  box: Readonly<Box>
  /** A crowd region (COCO's iscrowd): ignored, may absorb any number of detections. */
  crowd?: boolean
  /** The area the size ranges look at; w·h when absent. */
  area?: number
}

export interface ScoredBox {
  classIndex: number
  score: number
  box: Readonly<Box>
}

/** One image's ground truth and detections, both in the same (displayed) frame. */
export interface EvaluatedImage {
  groundTruth: readonly GroundTruthBox[]
  detections: readonly ScoredBox[]
}
