/** How the evaluation view writes its numbers, in the window's language. */
import type { SummaryKey } from '@shared/api/evaluation-types'
import type { Words } from '../i18n/words'

const decimalFormats = new Map<string, Intl.NumberFormat>()

/** A number to a fixed count of decimals in the language's digits: "0.512" (en, zh-CN), "0,512" (fr). */
export function formatDecimal(value: number, digits: number, { locale }: Pick<Words, 'locale'>): string {
  const key = `${locale}/${digits}`
  let format = decimalFormats.get(key)
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })
    decimalFormats.set(key, format)
  }
  return format.format(value)
}

/** A share of 1 as a whole percentage: "25%". */
export function formatPercent(share: number, { locale }: Pick<Words, 'locale'>): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share)
}

/** An AP or recall to three decimals; pycocotools' −1 (nothing to average) and null as a dash. */
export function formatMetric(value: number | null | undefined, words: Pick<Words, 'locale'>): string {
  return value === null || value === undefined || value < 0 ? '—' : formatDecimal(value, 3, words)
}

/** A difference between two runs' metrics, signed; a dash when either has none. */
export function formatDelta(value: number | null | undefined, base: number | null | undefined, words: Pick<Words, 'locale'>): string {
  if (value === null || value === undefined || base === null || base === undefined || value < 0 || base < 0) return '—'
  const delta = value - base
  // What rounds to zero at three decimals carries no sign: "−0.000" reads as a loss.
  if (Math.abs(delta) < 0.0005) return formatDecimal(0, 3, words)
  return `${delta > 0 ? '+' : '−'}${formatDecimal(Math.abs(delta), 3, words)}`
}

/** Seconds as a person reads a duration: "42 s", "3 min 5 s", "1 h 12 min" (the catalogue's `time` wording). */
export function formatSeconds(seconds: number | null, { t }: Words): string {
  if (seconds === null) return '—'
  const rounded = Math.round(seconds)
  if (rounded < 60) return t('time.seconds', { seconds: rounded })
  const minutes = Math.floor(rounded / 60)
  if (minutes < 60) return t('time.minutesSeconds', { minutes, seconds: rounded % 60 })
  return t('time.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })
}

type SummaryDetail = 'all' | 'iou50' | 'iou75' | 'small' | 'medium' | 'large' | 'perImage'

interface SummaryRow {
  key: SummaryKey
  /** The metric's name as pycocotools prints it, the same in every language. */
  metric: string
  /** The object sizes a row is limited to. */
  size?: 'small' | 'medium' | 'large'
  detail: SummaryDetail
  /** Detections an image, for the AR@n rows. */
  detections?: number
}

/** The summary rows in pycocotools' order and printed wording. */
export const SUMMARY_ROWS: readonly SummaryRow[] = [
  { key: 'AP', metric: 'AP', detail: 'all' },
  { key: 'AP50', metric: 'AP50', detail: 'iou50' },
  { key: 'AP75', metric: 'AP75', detail: 'iou75' },
  { key: 'APs', metric: 'AP', size: 'small', detail: 'small' },
  { key: 'APm', metric: 'AP', size: 'medium', detail: 'medium' },
  { key: 'APl', metric: 'AP', size: 'large', detail: 'large' },
  { key: 'AR1', metric: 'AR@1', detail: 'perImage', detections: 1 },
  { key: 'AR10', metric: 'AR@10', detail: 'perImage', detections: 10 },
  { key: 'AR100', metric: 'AR@100', detail: 'perImage', detections: 100 },
  { key: 'ARs', metric: 'AR', size: 'small', detail: 'small' },
  { key: 'ARm', metric: 'AR', size: 'medium', detail: 'medium' },
  { key: 'ARl', metric: 'AR', size: 'large', detail: 'large' },
]

/** A summary row's name ("AP small") and what it measures ("area < 32²"). */
export function summaryRowWords(row: SummaryRow, { t, locale }: Words): { label: string; detail: string } {
  const label = row.size ? t(`evaluation.summary.sized.${row.size}`, { metric: row.metric }) : row.metric
  const detail =
    row.detections === undefined
      ? t(`evaluation.summary.detail.${row.detail}`)
      : t(`evaluation.summary.detail.${row.detail}`, { n: row.detections.toLocaleString(locale) }, row.detections)
  return { label, detail }
}
