import type { ImageLabels } from '@shared/api/label-types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineImageLabelCountsStore } from '../../../src-renderer/src/stores/define-image-label-counts-store'
import { createFakeStoreClient, createManualTimers, settle } from './fake-store-client'

function imageLabels(imageId: number, classIds: number[]): ImageLabels {
  return {
    imageId,
    status: 'detected',
    touched: false,
    labelsLeftOut: 0,
    labels: classIds.map((classId, index) => ({
      id: index + 1,
      classId,
      box: [0, 0, 10, 10],
      origin: 'detection',
      detectionId: index + 1,
      score: 0.9,
      source: null,
    })),
    runId: 1,
    suggestions: [],
  }
}

describe('image label counts store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('counts the labels of the image on screen by class', async () => {
    const client = createFakeStoreClient({ 'labels.forImage': ({ imageId }) => imageLabels(imageId, [1, 2, 1, 1]) })
    const store = defineImageLabelCountsStore(client)()
    await store.load(7)
    expect([...store.labelsByClass.entries()]).toEqual([
      [1, 3],
      [2, 1],
    ])
  })

  it('reads the image again after edits that name it, once per burst, and ignores edits of other images', async () => {
    let classIds = [1]
    const client = createFakeStoreClient({ 'labels.forImage': ({ imageId }) => imageLabels(imageId, classIds) })
    const timers = createManualTimers()
    const store = defineImageLabelCountsStore(client, timers)()
    await store.load(7)
    client.emit({ type: 'labels.changed', imageIds: [8, 9] })
    expect(timers.waiting()).toBe(0)
    classIds = [1, 2]
    client.emit({ type: 'labels.changed', imageIds: [7] })
    client.emit({ type: 'labels.changed', imageIds: [6, 7] })
    timers.fireAll()
    await settle()
    expect(client.callsOf('labels.forImage')).toEqual([{ imageId: 7 }, { imageId: 7 }])
    expect(store.labelsByClass.get(2)).toBe(1)
  })

  it('reads the image again once after a burst of run results and class changes', async () => {
    const client = createFakeStoreClient({ 'labels.forImage': ({ imageId }) => imageLabels(imageId, [1]) })
    const timers = createManualTimers()
    const store = defineImageLabelCountsStore(client, timers)()
    await store.load(3)
    client.emit({ type: 'images.changed' })
    client.emit({ type: 'classes.changed' })
    client.emit({ type: 'images.changed' })
    timers.fireAll()
    await settle()
    expect(client.callsOf('labels.forImage')).toHaveLength(2)
  })

  it('keeps the image the viewer moved to when an older answer comes late', async () => {
    const answers = new Map<number, (labels: ImageLabels) => void>()
    const client = createFakeStoreClient({
      'labels.forImage': ({ imageId }) => new Promise<ImageLabels>((resolve) => answers.set(imageId, resolve)),
    })
    const store = defineImageLabelCountsStore(client)()
    const first = store.load(1)
    const second = store.load(2)
    answers.get(2)?.(imageLabels(2, [5]))
    answers.get(1)?.(imageLabels(1, [4, 4]))
    await Promise.all([first, second])
    expect(store.labels?.imageId).toBe(2)
    expect([...store.labelsByClass.keys()]).toEqual([5])
  })

  it('takes the label editor\'s labels for its image and then reads nothing on edits, runs or merges', async () => {
    const client = createFakeStoreClient({ 'labels.forImage': ({ imageId }) => imageLabels(imageId, [1]) })
    const timers = createManualTimers()
    const store = defineImageLabelCountsStore(client, timers)()
    await store.load(7)
    store.adopt(8, imageLabels(8, [3, 3, 3])) // the editor still on another image: not ours
    expect(store.labelsByClass.get(3)).toBeUndefined()
    store.adopt(7, imageLabels(7, [1, 2, 2]))
    expect(store.labelsByClass.get(2)).toBe(2)
    client.emit({ type: 'labels.changed', imageIds: [7] })
    client.emit({ type: 'images.changed' })
    client.emit({ type: 'classes.changed' })
    expect(timers.waiting()).toBe(0)
    await store.load(7)
    expect(client.callsOf('labels.forImage')).toEqual([{ imageId: 7 }])
    // Another image is read again until the editor hands it over.
    await store.load(9)
    expect(client.callsOf('labels.forImage')).toEqual([{ imageId: 7 }, { imageId: 9 }])
    client.emit({ type: 'labels.changed', imageIds: [9] })
    expect(timers.waiting()).toBe(1)
  })
})
