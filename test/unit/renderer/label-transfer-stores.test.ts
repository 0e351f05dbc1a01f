/**
 * The label import and export dialogs' stores against a fake client: an import writes exactly
 * the request previewed, with the person's answer about new classes, then refreshes the
 * classes; one call at a time; failures as words. An export follows its job's progress, keeps
 * the newest count of what it would export, and cancels its job even before the job's first event.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LabelImportOutcome, LabelImportPreview, LabelExportPlan, LabelExportResult } from '@shared/api/transfer-types'
import type { JobInfo } from '@shared/api/job-types'
import { defineLabelExportStore } from '../../../src-renderer/src/stores/define-label-export-store'
import { defineLabelImportStore } from '../../../src-renderer/src/stores/define-label-import-store'
import { createFakeStoreClient } from './fake-store-client'

const PREVIEW: LabelImportPreview = {
  imagesInFile: 3,
  imagesMatched: 2,
  labels: 5,
  boxesClipped: 0,
  boxesTooSmall: 0,
  boxesWithInvalidClass: 0,
  newClasses: ['okapi'],
  imagesKeptTouched: 0,
  problems: [],
  problemCount: 0,
}
const OUTCOME: LabelImportOutcome = {
  imagesChanged: 2,
  labelsCreated: 5,
  labelsRemoved: 0,
  imagesKeptTouched: 0,
  duplicatesSkipped: 0,
  imagesMarkedReviewed: 0,
  classesCreated: ['okapi'],
  problemCount: 0,
}
const REQUEST = { format: 'coco' as const, input: '/data/labels.json', mode: 'add' as const, markReviewed: true, addClasses: false }

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((done) => (resolve = done))
  return { promise, resolve }
}

describe('label import store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('imports exactly what was previewed, with the answer about new classes, then refreshes the classes', async () => {
    let refreshes = 0
    const client = createFakeStoreClient({ 'labels.planImport': () => PREVIEW, 'labels.import': () => OUTCOME })
    const store = defineLabelImportStore(client, () => ({ refresh: async () => void refreshes++ }))()
    await store.check(REQUEST)
    expect(store.preview).toEqual(PREVIEW)
    expect(client.callsOf('labels.import')).toEqual([])
    await store.importPreviewed(true)
    expect(client.callsOf('labels.import')).toEqual([{ ...REQUEST, addClasses: true }])
    expect(store.outcome).toEqual(OUTCOME)
    expect(store.preview).toBeNull()
    expect(refreshes).toBe(1)
    // Nothing previewed any more: a second press imports nothing.
    await store.importPreviewed(true)
    expect(client.callsOf('labels.import')).toHaveLength(1)
  })

  it('runs one call at a time, says why a preview failed, and cannot be hidden while busy', async () => {
    const answer = deferred<LabelImportPreview>()
    const client = createFakeStoreClient({ 'labels.planImport': () => answer.promise })
    const store = defineLabelImportStore(client, () => ({ refresh: async () => undefined }))()
    store.show()
    const first = store.check(REQUEST)
    await store.check({ ...REQUEST, input: '/other.json' })
    expect(client.callsOf('labels.planImport')).toEqual([REQUEST])
    store.hide()
    expect(store.open).toBe(true)
    answer.resolve(PREVIEW)
    await first
    client.handlers['labels.planImport'] = () => {
      throw new Error('/data/labels.json is not COCO JSON: it has no "images" list.')
    }
    await store.check(REQUEST)
    expect(store.preview).toBeNull()
    expect(store.error).toEqual({ message: '/data/labels.json is not COCO JSON: it has no "images" list.' })
    store.hide()
    expect(store.open).toBe(false)
    expect(store.error).toBeNull()
  })
})

const JOB: JobInfo = {
  id: 7,
  kind: 'export',
  title: 'Exporting labels as COCO to /out',
  projectFile: '/p.rwproj',
  cancellable: true,
  startedAt: 't',
  progress: { done: 3, total: 10, unit: 'images', perSecond: null, etaSeconds: null },
}

describe('label export store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('follows its export job’s progress, keeps the result, and cancels the job', async () => {
    const finished = deferred<LabelExportResult>()
    const client = createFakeStoreClient({ 'labels.export': () => finished.promise, 'jobs.cancel': () => true })
    const store = defineLabelExportStore(client)()
    store.show()
    const exporting = store.start({ format: 'coco', out: '/out' })
    client.emit({ type: 'job.progress', job: JOB })
    expect(store.progress).toEqual({ done: 3, total: 10 })
    await store.cancel()
    expect(client.callsOf('jobs.cancel')).toEqual([{ jobId: 7 }])
    finished.resolve({ state: 'cancelled' } as LabelExportResult)
    await exporting
    expect(store.running).toBe(false)
    expect(store.result).toMatchObject({ state: 'cancelled' })
  })

  it('asks which export runs when cancelled before the job’s first event, and keeps the newest count', async () => {
    const older = deferred<LabelExportPlan>()
    const client = createFakeStoreClient({
      'labels.export': () => new Promise(() => undefined),
      'jobs.active': () => [{ ...JOB, id: 9 }],
      'jobs.cancel': () => true,
      'labels.planExport': (args) => (args.allImages ? ({ images: 10 } as LabelExportPlan) : older.promise),
    })
    const store = defineLabelExportStore(client)()
    void store.start({ format: 'yolo', out: '/out' })
    await store.cancel()
    expect(client.callsOf('jobs.cancel')).toEqual([{ jobId: 9 }])

    const stale = store.refreshPlan({ format: 'yolo' })
    await store.refreshPlan({ format: 'yolo', allImages: true })
    older.resolve({ images: 2 } as LabelExportPlan)
    await stale
    expect(store.plan).toEqual({ images: 10 })
  })
})
