/** How the evaluation view writes its numbers. */

/** An AP or recall to three decimals; pycocotools' −1 (nothing to average) and null as a dash. */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined || value < 0 ? '—' : value.toFixed(3)
}

/** A difference between two runs' metrics, signed; a dash when either has none. */
export function formatDelta(value: number | null | undefined, base: number | null | undefined): string {
  if (value === null || value === undefined || base === null || base === undefined || value < 0 || base < 0) return '—'
  const delta = value - base
  // What rounds to zero at three decimals carries no sign: "−0.000" reads as a loss.
  if (Math.abs(delta) < 0.0005) return '0.000'
  return `${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(3)}`
}

/** Seconds as a person reads a duration: "42 s", "3 min 5 s", "1 h 12 min". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '—'
  const rounded = Math.round(seconds)
  if (rounded < 60) return `${rounded} s`
  const minutes = Math.floor(rounded / 60)
  if (minutes < 60) return `${minutes} min ${rounded % 60} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** The summary rows in pycocotools' printed wording. */
export const SUMMARY_ROWS = [
  { key: 'AP', label: 'AP', detail: 'IoU 0.50:0.95, all sizes, 100 detections' },
  { key: 'AP50', label: 'AP50', detail: 'IoU 0.50' },
  { key: 'AP75', label: 'AP75', detail: 'IoU 0.75' },
  { key: 'APs', label: 'AP small', detail: 'area < 32²' },
  { key: 'APm', label: 'AP medium', detail: '32² ≤ area < 96²' },
  { key: 'APl', label: 'AP large', detail: 'area ≥ 96²' },
  { key: 'AR1', label: 'AR@1', detail: '1 detection an image' },
  { key: 'AR10', label: 'AR@10', detail: '10 detections an image' },
  { key: 'AR100', label: 'AR@100', detail: '100 detections an image' },
  { key: 'ARs', label: 'AR small', detail: 'area < 32²' },
  { key: 'ARm', label: 'AR medium', detail: '32² ≤ area < 96²' },
  { key: 'ARl', label: 'AR large', detail: 'area ≥ 96²' },
] as const
