/**
 * The project store against a fake client: creating a project shows it with its scan report and
 * resets the grid; one create/open/close at a time; a failure becomes a notice; events from the
 * main side (another window opened a project, a scan's progress, images changed) are followed.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { reactive } from 'vue'
import type { CreatedProject, ProjectSummary } from '@shared/api/types'
import type { JobInfo } from '@shared/api/job-types'
import { defineProjectStore, type ProjectImagePages } from '../../../src-renderer/src/stores/define-project-store'
import { useNavigationStore } from '../../../src-renderer/src/stores/navigation'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { createFakeStoreClient } from './fake-store-client'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

const SUMMARY: ProjectSummary = { file: '/data/a.rwproj', uuid: 'u-a', name: 'a', imageRoot: '/data/a', imageCount: 12, createdAt: 't' }
const OTHER: ProjectSummary = { ...SUMMARY, file: '/data/b.rwproj', uuid: 'u-b', name: 'b', imageCount: 3 }

function fakePages() {
  const calls: string[] = []
  const state = reactive({ projectUuid: '', filter: {}, filterActive: false, total: 0 })
  const pages: ProjectImagePages = Object.assign(state, {
    reset: (count: number) => {
      calls.push(`reset ${count}`)
      state.total = count
    },
    invalidate: () => void calls.push('invalidate'),
  })
  return { pages, calls }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => (resolve = done))
  return { promise, resolve }
}

describe('project store', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.useRealTimers())

  it('creates a project: shows it, keeps its scan report, resets the grid and goes to the project view', async () => {
    const { pages, calls } = fakePages()
    const scan = { imageCount: 12, skippedCount: 0, skipped: [] } as unknown as CreatedProject['scan']
    const client = createFakeStoreClient({ 'project.create': () => ({ ...SUMMARY, scan }), 'project.recent': () => [{ file: SUMMARY.file, name: 'a' }] as never })
    const store = defineProjectStore(client, () => pages)()
    expect(await store.create({ imageFolder: '/data/a' })).toBe(true)
    expect(store.current).toEqual(SUMMARY)
    expect(store.lastScan).toEqual(scan)
    expect(pages.projectUuid).toBe('u-a')
    expect(calls).toEqual(['reset 12'])
    expect(useNavigationStore().view).toBe('project')
    expect(store.recent).toEqual([{ file: SUMMARY.file, name: 'a' }])
    expect(client.callsOf('project.create')).toEqual([{ imageFolder: '/data/a' }])
  })

  it('runs one change of project at a time and reports a failure in words', async () => {
    const { pages } = fakePages()
    const opening = deferred<ProjectSummary>()
    const client = createFakeStoreClient({ 'project.open': () => opening.promise, 'project.recent': () => [] })
    const store = defineProjectStore(client, () => pages)()
    const first = store.open(SUMMARY.file)
    expect(await store.open(OTHER.file)).toBe(false)
    expect(store.busy).toBe(true)
    opening.resolve(SUMMARY)
    expect(await first).toBe(true)
    expect(store.busy).toBe(false)
    client.handlers['project.open'] = () => {
      throw new Error('There is no project file at /gone.rwproj.')
    }
    expect(await store.open('/gone.rwproj')).toBe(false)
    expect(store.current).toEqual(SUMMARY)
    expect(useNoticesStore().notices.map(english).at(-1)).toBe('Could not open /gone.rwproj: There is no project file at /gone.rwproj.')
  })

  it('follows the main side: another project opened, a scan’s progress, images changed (at most every 400 ms)', async () => {
    vi.useFakeTimers()
    const { pages, calls } = fakePages()
    const client = createFakeStoreClient({ 'project.current': () => SUMMARY, 'project.recent': () => [], 'project.rescan': () => new Promise(() => undefined) })
    const store = defineProjectStore(client, () => pages)()
    await store.restore()
    expect(store.current?.file).toBe(SUMMARY.file)

    void store.rescan()
    const job = { id: 1, kind: 'scan', title: 'Rescanning', projectFile: SUMMARY.file, cancellable: true, startedAt: 't' } as JobInfo
    client.emit({ type: 'job.progress', job: { ...job, progress: { done: 5, total: 12, unit: 'files', perSecond: null, etaSeconds: null } } })
    expect(store.scanProgress).toEqual({ examined: 5, total: 12 })

    client.emit({ type: 'images.changed' })
    client.emit({ type: 'labels.changed', imageIds: [1] })
    expect(calls.filter((call) => call === 'invalidate')).toHaveLength(0)
    vi.advanceTimersByTime(400)
    expect(calls.filter((call) => call === 'invalidate')).toHaveLength(1)

    client.emit({ type: 'project.changed', project: OTHER })
    expect(store.current?.file).toBe(OTHER.file)
    expect(store.lastScan).toBeNull()
    expect(calls.at(-1)).toBe('reset 3')
    client.emit({ type: 'project.changed', project: null })
    expect(store.current).toBeNull()
    expect(useNavigationStore().view).toBe('start')
  })
})
