/**
 * pycocotools' COCOeval parameters for boxes (Params.setDetParams), reproduced bit for bit:
 * the thresholds come from the same linspace arithmetic, so the 9th IoU threshold is
 * 0.8999999999999999 as in pycocotools, and recall thresholds such as 0.030000000000000002
 * compare against recalls exactly as numpy's searchsorted sees them.
 */

/** numpy.linspace(start, stop, count) with endpoint=True: i·step + start, the last one exactly `stop`. */
function linspace(start: number, stop: number, count: number): readonly number[] {
  const step = (stop - start) / (count - 1)
  const values = Array.from({ length: count }, (_, i) => i * step + start)
  values[count - 1] = stop
  return values
}

/** IoU thresholds 0.50:0.05:0.95 (T = 10). */
export const IOU_THRESHOLDS = linspace(0.5, 0.95, 10)
/** Recall thresholds 0:0.01:1 for the 101-point interpolated precision (R = 101). */
export const RECALL_THRESHOLDS = linspace(0, 1, 101)

export const AREA_RANGE_NAMES = ['all', 'small', 'medium', 'large'] as const
export type AreaRangeName = (typeof AREA_RANGE_NAMES)[number]
/** [low, high] on the ground truth's `area` (and a detection's w·h), both bounds inclusive. */
export const AREA_RANGES: readonly (readonly [number, number])[] = [
  [0, 1e5 ** 2],
  [0, 32 ** 2],
  [32 ** 2, 96 ** 2],
  [96 ** 2, 1e5 ** 2],
]

/** Detections kept per image and category, ascending; the last one bounds the matching. */
export const MAX_DETECTIONS = [1, 10, 100] as const

/** numpy's np.spacing(1), added to the denominator of precision as pycocotools does. */
export const PRECISION_EPSILON = 2.220446049250313e-16

export const IOU_50_INDEX = IOU_THRESHOLDS.indexOf(0.5)
export const IOU_75_INDEX = IOU_THRESHOLDS.indexOf(0.75)
