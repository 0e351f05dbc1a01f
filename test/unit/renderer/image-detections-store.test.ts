/**
 * The image-detections and app-info stores against a fake client: detections filtered and
 * counted by the viewer's visibility; an answer for an image the viewer has left is dropped;
 * failures become notices; app info says whether paths can be picked.
 */
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { reactive } from 'vue'
import type { ImageDetections } from '@shared/api/types'
import { defineAppInfoStore } from '../../../src-renderer/src/stores/define-app-info-store'
import { defineImageDetectionsStore } from '../../../src-renderer/src/stores/define-image-detections-store'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import type { BoxVisibility } from '../../../src-renderer/src/viewer/box-visibility'
import { createFakeStoreClient } from './fake-store-client'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

const box = [0, 0, 10, 10] as [number, number, number, number]
const detectionsOf = (imageId: number): ImageDetections =>
  ({
    imageId,
    runId: 4,
    detections: [
      { id: imageId * 10 + 1, classId: 1, score: 0.9, box },
      { id: imageId * 10 + 2, classId: 1, score: 0.3, box },
      { id: imageId * 10 + 3, classId: 2, score: 0.6, box },
    ],
  }) as ImageDetections

describe('image detections store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows what the visibility lets through and counts per class, following a threshold change', async () => {
    const settings = reactive({ visibility: { suggestionThreshold: 0.5, classThresholds: {}, hiddenClassIds: [] } as BoxVisibility })
    const client = createFakeStoreClient({ 'detections.forImage': ({ imageId }) => detectionsOf(imageId) })
    const store = defineImageDetectionsStore(client, () => settings)()
    await store.load(8)
    expect(store.runId).toBe(4)
    expect(store.visible.map((detection) => detection.id)).toEqual([81, 83])
    expect(store.countsByClass.get(1)).toEqual({ total: 2, visible: 1 })
    settings.visibility = { suggestionThreshold: 0.2, classThresholds: { 2: 0.7 }, hiddenClassIds: [] }
    expect(store.visible.map((detection) => detection.id)).toEqual([81, 82])
    expect(store.countsByClass.get(2)).toEqual({ total: 1, visible: 0 })
  })

  it('drops the answer for an image the viewer left, and reports a failure for the image on screen', async () => {
    let release!: () => void
    const slow = new Promise<void>((resolve) => (release = resolve))
    const client = createFakeStoreClient({
      'detections.forImage': async ({ imageId }) => {
        if (imageId === 1) await slow
        return detectionsOf(imageId)
      },
    })
    const store = defineImageDetectionsStore(client, () => ({ visibility: { suggestionThreshold: 0, classThresholds: {}, hiddenClassIds: [] } }))()
    const first = store.load(1)
    await store.load(2)
    release()
    await first
    expect(store.imageId).toBe(2)
    expect(store.detections.map((detection) => detection.id)).toEqual([21, 22, 23])
    expect(client.callsOf('detections.forImage')).toEqual([{ imageId: 1 }, { imageId: 2 }])

    client.handlers['detections.forImage'] = () => {
      throw new Error('This project has no image with id 2.')
    }
    await store.reload()
    expect(useNoticesStore().notices.map(english)).toEqual(['Could not read the detections of this image: This project has no image with id 2.'])
  })
})

describe('app info store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('says whether paths can be picked, and what went wrong when the workbench cannot be reached', async () => {
    const client = createFakeStoreClient({ 'app.info': () => ({ name: 'Retina Workbench', version: '1.0.0', transport: 'electron', canPickPaths: true }) })
    const store = defineAppInfoStore(client)()
    expect(store.canPickPaths).toBe(false)
    await store.load()
    expect(store.canPickPaths).toBe(true)
    client.handlers['app.info'] = () => {
      throw new Error('connection refused')
    }
    await store.load()
    expect(useNoticesStore().notices.map(english).at(-1)).toBe('Could not reach the workbench: connection refused')
  })
})
