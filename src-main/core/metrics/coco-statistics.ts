/**
 * COCOeval.summarize() for boxes: the twelve headline numbers, each the mean of the accumulated
 * precision (AP) or recall (AR) entries that are defined (> −1) over the IoU thresholds (or the
 * one named), recall thresholds and categories, for one area range and maxDets; −1 when no
 * entry is defined. Also AP and AP50 per category, read the same way.
 */
import type { AccumulatedEvaluation } from './coco-accumulate'
import { AREA_RANGE_NAMES, IOU_50_INDEX, IOU_75_INDEX, IOU_THRESHOLDS, MAX_DETECTIONS, type AreaRangeName } from './coco-parameters'

export const SUMMARY_KEYS = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl'] as const
export type SummaryKey = (typeof SUMMARY_KEYS)[number]
/** The twelve numbers; −1 where pycocotools prints −1 (nothing to measure). */
export type CocoSummary = Record<SummaryKey, number>

type MaxDetections = (typeof MAX_DETECTIONS)[number]

interface Selection {
  kind: 'precision' | 'recall'
  /** An index into IOU_THRESHOLDS, or all of them. */
  iou?: number
  area: AreaRangeName
  maxDetections: MaxDetections
  /** One category index, or all of them. */
  category?: number
}

const SUMMARY_SELECTIONS: Record<SummaryKey, Selection> = {
  AP: { kind: 'precision', area: 'all', maxDetections: 100 },
  AP50: { kind: 'precision', iou: IOU_50_INDEX, area: 'all', maxDetections: 100 },
  AP75: { kind: 'precision', iou: IOU_75_INDEX, area: 'all', maxDetections: 100 },
  APs: { kind: 'precision', area: 'small', maxDetections: 100 },
  APm: { kind: 'precision', area: 'medium', maxDetections: 100 },
  APl: { kind: 'precision', area: 'large', maxDetections: 100 },
  AR1: { kind: 'recall', area: 'all', maxDetections: 1 },
  AR10: { kind: 'recall', area: 'all', maxDetections: 10 },
  AR100: { kind: 'recall', area: 'all', maxDetections: 100 },
  ARs: { kind: 'recall', area: 'small', maxDetections: 100 },
  ARm: { kind: 'recall', area: 'medium', maxDetections: 100 },
  ARl: { kind: 'recall', area: 'large', maxDetections: 100 },
}

/** Mean of the defined entries of a selection, −1 when there are none (pycocotools' _summarize). */
export function meanOfSelection(accumulated: AccumulatedEvaluation, selection: Selection): number {
  const { T, R, K, A, M } = accumulated.counts
  const a = AREA_RANGE_NAMES.indexOf(selection.area)
  const m = MAX_DETECTIONS.indexOf(selection.maxDetections)
  const thresholds = selection.iou === undefined ? range(T) : [selection.iou]
  const categories = selection.category === undefined ? range(K) : [selection.category]
  let sum = 0
  let count = 0
  for (const t of thresholds) {
    for (const k of categories) {
      if (selection.kind === 'recall') {
        const value = accumulated.recall[((t * K + k) * A + a) * M + m]!
        if (value > -1) {
          sum += value
          count++
        }
        continue
      }
      for (let r = 0; r < R; r++) {
        const value = accumulated.precision[(((t * R + r) * K + k) * A + a) * M + m]!
        if (value > -1) {
          sum += value
          count++
        }
      }
    }
  }
  return count === 0 ? -1 : sum / count
}

export function summarize(accumulated: AccumulatedEvaluation): CocoSummary {
  const summary = {} as CocoSummary
  for (const key of SUMMARY_KEYS) summary[key] = meanOfSelection(accumulated, SUMMARY_SELECTIONS[key])
  return summary
}

/** AP (IoU 0.50:0.95) and AP50 of one category, area all, 100 detections; null without ground truth. */
export function categoryAveragePrecision(accumulated: AccumulatedEvaluation, category: number): { ap: number | null; ap50: number | null } {
  const ap = meanOfSelection(accumulated, { kind: 'precision', area: 'all', maxDetections: 100, category })
  const ap50 = meanOfSelection(accumulated, { kind: 'precision', iou: IOU_50_INDEX, area: 'all', maxDetections: 100, category })
  return { ap: ap === -1 ? null : ap, ap50: ap50 === -1 ? null : ap50 }
}

/** The text before " = value" of one summary line in pycocotools' printed layout (its iStr format). */
function summaryLinePrefix(key: SummaryKey): string {
  const selection = SUMMARY_SELECTIONS[key]
  const [title, kind] = selection.kind === 'precision' ? ['Average Precision', '(AP)'] : ['Average Recall', '(AR)']
  const iou = selection.iou === undefined ? '0.50:0.95' : IOU_THRESHOLDS[selection.iou]!.toFixed(2)
  return ` ${title.padEnd(18)} ${kind} @[ IoU=${iou.padEnd(9)} | area=${selection.area.padStart(6)} | maxDets=${String(selection.maxDetections).padStart(3)} ]`
}

/** The summary in pycocotools' printed layout, one line per number. */
export function formatSummaryLines(summary: CocoSummary): string[] {
  return SUMMARY_KEYS.map((key) => `${summaryLinePrefix(key)} = ${summary[key].toFixed(3)}`)
}

/** Two summaries side by side in the same layout, with the change from the first to the second. */
export function formatSummaryComparison(first: CocoSummary, second: CocoSummary): string[] {
  return SUMMARY_KEYS.map((key) => {
    const change = first[key] === -1 || second[key] === -1 ? '' : `  ${second[key] - first[key] >= 0 ? '+' : '−'}${Math.abs(second[key] - first[key]).toFixed(3)}`
    return `${summaryLinePrefix(key)} = ${first[key].toFixed(3)} | ${second[key].toFixed(3)}${change}`
  })
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
}
