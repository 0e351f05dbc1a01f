import type { ProjectStats } from '@shared/api/types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  countOf,
  defineProjectStatsStore,
  reviewProgress,
} from '../../../src-renderer/src/stores/define-project-stats-store'
import { createFakeStoreClient, createManualTimers, settle } from './fake-store-client'

function stats(reviewed: number): ProjectStats {
  return {
    imagesByStatus: { new: 100, detected: 1588 - reviewed, reviewed, error: 312 },
    missingImages: 0,
    labelCount: 4000 + reviewed,
    detectionCount: 90_000,
  }
}

describe('project stats store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('counts reviewed images out of every image of the project', async () => {
    const client = createFakeStoreClient({ 'project.stats': () => stats(312) })
    const store = defineProjectStatsStore(client)()
    await store.refresh()
    expect(store.review).toEqual({ reviewed: 312, images: 2000 })
  })

  it('reads the counts once per burst of change events, not once per event', async () => {
    let reviewed = 0
    const client = createFakeStoreClient({ 'project.stats': () => stats(reviewed) })
    const timers = createManualTimers()
    const store = defineProjectStatsStore(client, timers)()
    await store.refresh()
    reviewed = 5
    for (let image = 1; image <= 2000; image++) client.emit({ type: 'labels.changed', imageIds: [image] })
    client.emit({ type: 'images.changed' })
    expect(client.callsOf('project.stats')).toHaveLength(1)
    timers.fireAll()
    await settle()
    expect(client.callsOf('project.stats')).toHaveLength(2)
    expect(store.review?.reviewed).toBe(5)
  })

  it('stops following events once cleared (another project opened)', async () => {
    const client = createFakeStoreClient({ 'project.stats': () => stats(1) })
    const timers = createManualTimers()
    const store = defineProjectStatsStore(client, timers)()
    await store.refresh()
    store.clear()
    client.emit({ type: 'labels.changed', imageIds: [1] })
    expect(timers.waiting()).toBe(0)
    expect(store.stats).toBeNull()
  })
})

describe('count wording', () => {
  it('names what it counts, singular and plural', () => {
    expect(countOf(1, 'label')).toBe('1 label')
    expect(countOf(504_250, 'label')).toBe('504,250 labels')
    expect(countOf(0, 'detection')).toBe('0 detections')
    expect(reviewProgress(stats(0))).toEqual({ reviewed: 0, images: 2000 })
  })
})
