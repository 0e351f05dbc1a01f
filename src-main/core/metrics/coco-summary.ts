/**
 * The headline figures the model tooling prints (tools/model/evaluate.ts): mAP@0.5, mAP@[.5:.95]
 * and AP per class, read off the one COCO evaluation (so equal to pycocotools' AP50, AP and
 * per-category AP).
 */
import { evaluateCoco } from './coco-evaluation'
import { evaluationInputFromImages } from './evaluation-input'
import type { EvaluatedImage } from './types'

export interface ClassAp {
  classIndex: number
  /** AP at IoU 0.5 */
  ap50: number
  /** AP averaged over IoU 0.50:0.95 */
  ap: number
}

export interface CocoSummary {
  /** pycocotools' AP50 (0 when no class has ground truth). */
  map50: number
  /** pycocotools' AP (0 when no class has ground truth). */
  map: number
  /** Only the classes with at least one ground-truth box. */
  perClass: ClassAp[]
}

export function summarizeCoco(images: readonly EvaluatedImage[], classCount: number): CocoSummary {
  const evaluation = evaluateCoco(evaluationInputFromImages(images, classCount))
  const perClass: ClassAp[] = []
  for (const result of evaluation.perCategory) {
    if (result.ap === null || result.ap50 === null) continue
    perClass.push({ classIndex: result.category, ap50: result.ap50, ap: result.ap })
  }
  return { map50: Math.max(0, evaluation.summary.AP50), map: Math.max(0, evaluation.summary.AP), perClass }
}
