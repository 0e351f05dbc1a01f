/**
 * What an evaluation reads: ground-truth boxes and scored detections, each tagged with an image
 * index and a category index, in columns (typed arrays) so that half a million detections cost
 * a few arrays rather than half a million objects.
 *
 * Order matters exactly as in pycocotools: image index i stands for the i-th smallest image id
 * and category index k for the k-th smallest category id; within one image and category, ties
 * (equal scores, equal IoUs) are broken by the order boxes were added, as pycocotools breaks
 * them by the order of its annotation and result lists.
 *
 * Boxes are COCO's [x, y, width, height]: pycocotools computes IoU and a detection's area from
 * those four numbers, and keeping them avoids rounding that converting to corners would add.
 */
// Relative, not @shared: tools/model/evaluate.ts runs these modules under plain `npx tsx`.
import { toXywh, type BoxXywh } from '../../../src-shared/geometry/box'
import type { EvaluatedImage } from './types'

export interface GroundTruthColumns {
  count: number
  image: Int32Array
  category: Int32Array
  /** x, y, width, height per box. */
  boxes: Float64Array
  /** The area the size ranges (small, medium, large) look at; COCO files carry it, else w·h. */
  area: Float64Array
  /** 1 for a crowd region: ignored, may be matched by any number of detections. */
  crowd: Uint8Array
}

export interface DetectionColumns {
  count: number
  image: Int32Array
  category: Int32Array
  boxes: Float64Array
  score: Float64Array
}

export interface EvaluationInput {
  imageCount: number
  categoryCount: number
  groundTruth: GroundTruthColumns
  detections: DetectionColumns
}

export interface GroundTruthOptions {
  crowd?: boolean
  area?: number
}

/** Collects boxes one by one and hands out the columns. */
export class EvaluationInputBuilder {
  private readonly truth = { image: [] as number[], category: [] as number[], boxes: [] as number[], area: [] as number[], crowd: [] as number[] }
  private readonly detected = { image: [] as number[], category: [] as number[], boxes: [] as number[], score: [] as number[] }

  constructor(
    readonly imageCount: number,
    readonly categoryCount: number,
  ) {}

  addGroundTruth(image: number, category: number, box: Readonly<BoxXywh>, options: GroundTruthOptions = {}): void {
    this.check(image, category)
    this.truth.image.push(image)
    this.truth.category.push(category)
    this.truth.boxes.push(box[0], box[1], box[2], box[3])
    this.truth.area.push(options.area ?? box[2] * box[3])
    this.truth.crowd.push(options.crowd ? 1 : 0)
  }

  addDetection(image: number, category: number, box: Readonly<BoxXywh>, score: number): void {
    this.check(image, category)
    this.detected.image.push(image)
    this.detected.category.push(category)
    this.detected.boxes.push(box[0], box[1], box[2], box[3])
    this.detected.score.push(score)
  }

  build(): EvaluationInput {
    const { truth, detected } = this
    return {
      imageCount: this.imageCount,
      categoryCount: this.categoryCount,
      groundTruth: {
        count: truth.image.length,
        image: Int32Array.from(truth.image),
        category: Int32Array.from(truth.category),
        boxes: Float64Array.from(truth.boxes),
        area: Float64Array.from(truth.area),
        crowd: Uint8Array.from(truth.crowd),
      },
      detections: {
        count: detected.image.length,
        image: Int32Array.from(detected.image),
        category: Int32Array.from(detected.category),
        boxes: Float64Array.from(detected.boxes),
        score: Float64Array.from(detected.score),
      },
    }
  }

  private check(image: number, category: number): void {
    if (!Number.isInteger(image) || image < 0 || image >= this.imageCount) throw new RangeError(`image index ${image} is outside 0..${this.imageCount - 1}`)
    if (!Number.isInteger(category) || category < 0 || category >= this.categoryCount) {
      throw new RangeError(`category index ${category} is outside 0..${this.categoryCount - 1}`)
    }
  }
}

/** Columns from per-image lists; class indices are the category indices (0..categoryCount−1). */
export function evaluationInputFromImages(images: readonly EvaluatedImage[], categoryCount: number): EvaluationInput {
  const builder = new EvaluationInputBuilder(images.length, categoryCount)
  images.forEach((image, index) => {
    for (const truth of image.groundTruth) builder.addGroundTruth(index, truth.classIndex, toXywh(truth.box), { crowd: truth.crowd, area: truth.area })
    for (const detection of image.detections) builder.addDetection(index, detection.classIndex, toXywh(detection.box), detection.score)
  })
  return builder.build()
}
