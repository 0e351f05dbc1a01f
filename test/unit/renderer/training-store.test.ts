import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { TrainingSummary } from '@shared/api/training-types'
import { defaultTrainedModelPath, defineTrainingStore, modelFileName } from '../../../src-renderer/src/stores/define-training-store'
import { createFakeStoreClient } from './fake-store-client'

const SUMMARY: TrainingSummary = {
  model: '/p/models/m.onnx',
  config: '/p/models/m.json',
  report: '/p/models/m.training.json',
  classes: ['car'],
  newClasses: [],
  trainImages: 8,
  heldOutImages: 2,
  labels: 30,
  heldOutBefore: { ap50: 0.5, ap: 0.3, threshold: 0.5 },
  heldOutAfter: { ap50: 0.8, ap: 0.5, threshold: 0.42 },
  bestEpoch: 3,
  epochs: 4,
}

describe('default trained model path', () => {
  const now = new Date(2026, 11, 5, 14, 32)
  it('puts the model in a models folder beside the project file, named after the project and the minute', () => {
    expect(defaultTrainedModelPath('/data/street/street.rwproj', 'Street scenes', now)).toBe('/data/street/models/Street-scenes-20261205-1432.onnx')
    expect(defaultTrainedModelPath('C:\\data\\p.rwproj', '鳥 / birds', now)).toBe('C:\\data\\models\\鳥-birds-20261205-1432.onnx')
    expect(defaultTrainedModelPath('/p.rwproj', '///', now)).toBe('/models/model-20261205-1432.onnx')
  })
})

describe('model file name', () => {
  it('is the last part of the path, with either separator', () => {
    expect(modelFileName('/data/street/models/street-20261205-1432.onnx')).toBe('street-20261205-1432.onnx')
    expect(modelFileName('C:\\data\\models\\鳥.onnx')).toBe('鳥.onnx')
    expect(modelFileName('tiny.onnx')).toBe('tiny.onnx')
  })
})

describe('training store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('starts one training at a time and keeps what it wrote', async () => {
    let finish!: (summary: TrainingSummary) => void
    const client = createFakeStoreClient({
      'training.start': () => new Promise((resolve) => (finish = resolve)),
      'training.models': () => [{ id: 1, model: SUMMARY.model, config: SUMMARY.config, baseModel: '/b.onnx', trainImages: 8, heldOutImages: 2, labels: 30, heldOutBefore: SUMMARY.heldOutBefore, heldOutAfter: SUMMARY.heldOutAfter, createdAt: 't', available: true }],
    })
    const store = defineTrainingStore(client)()
    const started = store.start('/p/models/m.onnx', 4)
    expect(store.running).toBe(true)
    await store.start('/p/models/other.onnx', 4)
    expect(client.callsOf('training.start')).toEqual([{ out: '/p/models/m.onnx', epochs: 4 }])
    finish(SUMMARY)
    await started
    expect(store.running).toBe(false)
    expect(store.summary).toEqual(SUMMARY)
    // The project's list of trained models is read again once the training ended.
    expect(store.models.map((model) => model.model)).toEqual([SUMMARY.model])
  })

  it('keeps the sentence of a training that did not happen', async () => {
    const client = createFakeStoreClient({
      'training.start': () => {
        throw new Error('The training was cancelled; starting it again continues from the last finished epoch.')
      },
    })
    const store = defineTrainingStore(client)()
    await store.start('/p/models/m.onnx', 4)
    expect(store.error?.message).toMatch(/cancelled/)
    expect(store.summary).toBeNull()
    store.clear()
    expect(store.error).toBeNull()
  })
})
