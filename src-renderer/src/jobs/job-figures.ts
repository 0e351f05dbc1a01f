import type { JobProgress } from '@shared/api/job-types'
import type { Words } from '../i18n/words'

/** "1 h 5 min", "2 min 10 s", "40 s"; a dash while unknown. */
export function formatEta(seconds: number | null, { t }: Words): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const rounded = Math.max(0, Math.round(seconds))
  const minutes = Math.floor(rounded / 60)
  const hours = Math.floor(minutes / 60)
  if (hours > 0) return t('time.hoursMinutes', { hours, minutes: minutes % 60 })
  if (minutes > 0) return t('time.minutesSeconds', { minutes, seconds: rounded % 60 })
  return t('time.seconds', { seconds: rounded })
}

/** "120 of 5,000 files · 85 files/s · 57 s left", as far as each part is known. */
export function describeJobProgress(progress: JobProgress | null, words: Words): string {
  const { t, locale } = words
  if (progress === null) return t('jobs.starting')
  const count = (value: number) => value.toLocaleString(locale)
  const parts = [t(`jobs.done.${progress.unit}`, { done: count(progress.done), total: count(progress.total) })]
  if (progress.perSecond !== null) {
    const rate = progress.perSecond >= 10 ? count(Math.round(progress.perSecond)) : progress.perSecond.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })
    parts.push(t(`jobs.rate.${progress.unit}`, { rate }))
  }
  if (progress.done < progress.total && progress.etaSeconds !== null) parts.push(t('jobs.left', { time: formatEta(progress.etaSeconds, words) }))
  return parts.join(' · ')
}
