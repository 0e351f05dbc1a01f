import type { JobInfo } from '@shared/api/job-types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { describeJobProgress, formatEta } from '../../../src-renderer/src/jobs/job-figures'
import { wordsOf } from './i18n/words-of'
import { defineJobsStore } from '../../../src-renderer/src/stores/define-jobs-store'
import { createFakeStoreClient, settle } from './fake-store-client'

function job(id: number, kind: JobInfo['kind'] = 'export', progress: JobInfo['progress'] = null): JobInfo {
  return { id, kind, title: `job ${id}`, projectFile: '/p/a.rwproj', startedAt: '2026-12-05T00:00:00Z', progress, cancellable: true }
}

describe('jobs store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows the jobs already going on, then follows started, progress and finished events', async () => {
    const client = createFakeStoreClient({ 'jobs.active': () => [job(3, 'scan')] })
    const store = defineJobsStore(client)()
    await store.start()
    expect(store.jobs.map((item) => item.id)).toEqual([3])
    client.emit({ type: 'job.started', job: job(4) })
    client.emit({ type: 'job.progress', job: job(4, 'export', { done: 2, total: 8, unit: 'images', perSecond: 1, etaSeconds: 6 }) })
    expect(store.jobs.map((item) => [item.id, item.progress?.done ?? null])).toEqual([
      [3, null],
      [4, 2],
    ])
    client.emit({ type: 'job.finished', job: job(3, 'scan'), outcome: 'done' })
    expect(store.jobs.map((item) => item.id)).toEqual([4])
  })

  it('does not bring back a job that ended before the jobs.active answer came', async () => {
    let answer!: (jobs: JobInfo[]) => void
    const client = createFakeStoreClient({ 'jobs.active': () => new Promise((resolve) => (answer = resolve)) })
    const store = defineJobsStore(client)()
    const started = store.start()
    client.emit({ type: 'job.finished', job: job(5), outcome: 'cancelled' })
    answer([job(5)])
    await started
    expect(store.jobs).toEqual([])
  })

  it('cancels a job by its id and shows it as cancelling until it ends', async () => {
    const client = createFakeStoreClient({ 'jobs.active': () => [job(7)], 'jobs.cancel': () => true })
    const store = defineJobsStore(client)()
    await store.start()
    await store.cancel(7)
    await settle()
    expect(client.callsOf('jobs.cancel')).toEqual([{ jobId: 7 }])
    expect(store.cancelling.has(7)).toBe(true)
    client.emit({ type: 'job.finished', job: job(7), outcome: 'cancelled' })
    expect(store.cancelling.has(7)).toBe(false)
  })
})

describe('job figures', () => {
  const english = wordsOf('en')

  it('says how far a job is, how fast and how long is left, as far as each is known', () => {
    expect(describeJobProgress(null, english)).toBe('Starting…')
    expect(describeJobProgress({ done: 120, total: 5000, unit: 'files', perSecond: 85.4, etaSeconds: 57.1 }, english)).toBe('120 of 5,000 files · 85 files/s · 57 s left')
    expect(describeJobProgress({ done: 3, total: 10, unit: 'images', perSecond: 2.25, etaSeconds: 3 }, english)).toBe('3 of 10 images · 2.3 images/s · 3 s left')
    expect(describeJobProgress({ done: 0, total: 10, unit: 'images', perSecond: null, etaSeconds: null }, english)).toBe('0 of 10 images')
    expect(describeJobProgress({ done: 10, total: 10, unit: 'images', perSecond: 4, etaSeconds: 0 }, english)).toBe('10 of 10 images · 4.0 images/s')
    expect(formatEta(3725, english)).toBe('1 h 2 min')
    expect(formatEta(130, english)).toBe('2 min 10 s')
  })

  it('says the same in Simplified Chinese', () => {
    const chinese = wordsOf('zh-CN')
    expect(describeJobProgress({ done: 120, total: 5000, unit: 'files', perSecond: 85.4, etaSeconds: 3725 }, chinese)).toBe('120 / 5,000 个文件 · 85 个文件/秒 · 剩余 1 小时 2 分')
    expect(describeJobProgress(null, chinese)).toBe('正在开始…')
  })
})
