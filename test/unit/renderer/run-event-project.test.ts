import type { ProjectStats, RunSummary } from '@shared/api/types'
import { ApiCallError } from '@shared/api/result'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineClassesStore } from '../../../src-renderer/src/stores/define-classes-store'
import { defineLabelThresholdsStore } from '../../../src-renderer/src/stores/define-label-thresholds-store'
import { defineProjectStatsStore } from '../../../src-renderer/src/stores/define-project-stats-store'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { createFakeStoreClient, createManualTimers, settle } from './fake-store-client'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

/** Issue 19, item 7: the stores that follow run events act only on the runs of the project shown. */

const FIRST = '/projects/first.rwproj'
const SECOND = '/projects/second.rwproj'
const finishedRun = { id: 2, state: 'cancelled' } as RunSummary
const stats: ProjectStats = { imagesByStatus: { new: 1, detected: 0, reviewed: 0, error: 0 }, missingImages: 0, labelCount: 0, detectionCount: 0 }

describe('stores that follow run events', () => {
  let shown: string | null

  beforeEach(() => {
    setActivePinia(createPinia())
    shown = FIRST
  })

  it('classes: count again after a run of the shown project, not after a run of another one', async () => {
    const client = createFakeStoreClient({ 'classes.list': () => [] })
    const timers = createManualTimers()
    const store = defineClassesStore(client, timers, () => shown)()
    await store.refresh()
    client.emit({ type: 'run.finished', projectFile: SECOND, run: finishedRun })
    expect(timers.waiting()).toBe(0)
    client.emit({ type: 'run.finished', projectFile: FIRST, run: finishedRun })
    expect(timers.waiting()).toBe(1)
  })

  it('classes: a count that waited is let go when the project closed meanwhile, with no error', async () => {
    const client = createFakeStoreClient({ 'classes.list': () => [] })
    const timers = createManualTimers()
    const store = defineClassesStore(client, timers, () => shown)()
    await store.refresh()
    client.emit({ type: 'run.finished', projectFile: FIRST, run: finishedRun })
    shown = null
    client.handlers['classes.list'] = () => {
      throw new Error('No project is open. Create or open a project first.')
    }
    timers.fireAll()
    await settle()
    expect(client.callsOf('classes.list')).toHaveLength(1)
    expect(useNoticesStore().notices).toEqual([])
  })

  it('project stats: count again after a run of the shown project only, and not once it closed', async () => {
    const client = createFakeStoreClient({ 'project.stats': () => stats })
    const timers = createManualTimers()
    const store = defineProjectStatsStore(client, timers, () => shown)()
    await store.refresh()
    client.emit({ type: 'run.finished', projectFile: SECOND, run: finishedRun })
    expect(timers.waiting()).toBe(0)
    client.emit({ type: 'run.finished', projectFile: FIRST, run: finishedRun })
    expect(timers.waiting()).toBe(1)
    shown = null
    timers.fireAll()
    await settle()
    expect(client.callsOf('project.stats')).toHaveLength(1)
  })

  it('label thresholds: read again when a run of the shown project starts, not one of another project', async () => {
    const thresholds = { score: 0.45, perClass: {}, modelDefault: { score: 0.45, perClass: {} } }
    const client = createFakeStoreClient({ 'labelThresholds.get': () => thresholds })
    const store = defineLabelThresholdsStore(client, () => shown)()
    await store.refresh()
    client.emit({ type: 'run.started', projectFile: SECOND, run: finishedRun })
    await settle()
    expect(client.callsOf('labelThresholds.get')).toHaveLength(1)
    client.emit({ type: 'run.started', projectFile: FIRST, run: finishedRun })
    await settle()
    expect(client.callsOf('labelThresholds.get')).toHaveLength(2)
  })

  it('a refresh that lost a race with the project closing leaves no notice; any other failure does', async () => {
    const client = createFakeStoreClient({
      'project.stats': () => {
        throw new ApiCallError({ code: 'no-project', message: 'No project is open' })
      },
      'classes.list': () => {
        throw new ApiCallError({ code: 'internal', message: 'disk on fire' })
      },
    })
    const notices = useNoticesStore()
    await defineProjectStatsStore(client)().refresh()
    expect(notices.notices).toEqual([])
    await defineClassesStore(client)().refresh()
    expect(notices.notices.map(english)).toEqual(['Could not read the classes: disk on fire'])
  })
})

