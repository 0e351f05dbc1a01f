/**
 * True and false positives at IoU 0.5 by score, per class and for all classes together, from
 * the COCO matching (area all, the detections COCO evaluates: at most 100 an image and class).
 * Equal bins over [0, 1]; the last bin includes 1. A detection matched to a crowd region counts
 * in neither, as COCO ignores it.
 */
import { DetectionOutcome } from './coco-matching'
import type { CocoEvaluation } from './coco-evaluation'
import { IOU_50_INDEX } from './coco-parameters'

export const HISTOGRAM_BINS = 20

export interface ScoreHistogram {
  truePositives: number[]
  falsePositives: number[]
}

/**
 * The bin of a score: i where i / bins ≤ score < (i + 1) / bins, the last bin closed; scores
 * outside [0, 1] land in the end bins. Decided by comparing with the edges i / bins, not by
 * floor(score · bins) alone (which rounds a score just below an edge up), so that asking for
 * the detections in [i / bins, (i + 1) / bins) finds exactly the bin's count.
 */
export function scoreBin(score: number, bins: number): number {
  let bin = Math.min(bins - 1, Math.max(0, Math.floor(score * bins)))
  if (bin > 0 && score < bin / bins) bin--
  else if (bin < bins - 1 && score >= (bin + 1) / bins) bin++
  return bin
}

export function scoreHistograms(evaluation: CocoEvaluation, bins = HISTOGRAM_BINS): { overall: ScoreHistogram; perCategory: ScoreHistogram[] } {
  const empty = (): ScoreHistogram => ({ truePositives: new Array<number>(bins).fill(0), falsePositives: new Array<number>(bins).fill(0) })
  const overall = empty()
  const perCategory = evaluation.matches.categories.map((matches) => {
    const histogram = empty()
    const outcomes = IOU_50_INDEX * matches.count // area range 0 ("all")
    for (let i = 0; i < matches.count; i++) {
      const outcome = matches.outcome[outcomes + i]
      const bin = scoreBin(matches.score[i]!, bins)
      if (outcome === DetectionOutcome.TruePositive) {
        histogram.truePositives[bin]!++
        overall.truePositives[bin]!++
      } else if (outcome === DetectionOutcome.FalsePositive) {
        histogram.falsePositives[bin]!++
        overall.falsePositives[bin]!++
      }
    }
    return histogram
  })
  return { overall, perCategory }
}
