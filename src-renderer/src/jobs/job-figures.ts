import type { JobProgress } from '@shared/api/job-types'

/** "1 h 5 min", "2 min 10 s", "40 s"; a dash while unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—'
  const rounded = Math.max(0, Math.round(seconds))
  const minutes = Math.floor(rounded / 60)
  const hours = Math.floor(minutes / 60)
  if (hours > 0) return `${hours} h ${minutes % 60} min`
  if (minutes > 0) return `${minutes} min ${rounded % 60} s`
  return `${rounded} s`
}

/** "120 of 5,000 files · 85 files/s · 57 s left", as far as each part is known. */
export function describeJobProgress(progress: JobProgress | null): string {
  if (progress === null) return 'Starting…'
  const parts = [`${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')} ${progress.unit}`]
  if (progress.perSecond !== null) {
    const rate = progress.perSecond >= 10 ? Math.round(progress.perSecond).toLocaleString('en') : progress.perSecond.toFixed(1)
    parts.push(`${rate} ${progress.unit}/s`)
  }
  if (progress.done < progress.total && progress.etaSeconds !== null) parts.push(`${formatEta(progress.etaSeconds)} left`)
  return parts.join(' · ')
}
