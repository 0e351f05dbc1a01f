import type { LabelThresholds } from '@shared/api/label-types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  defineLabelThresholdsStore,
  describeThresholdOutcome,
  parseThresholdInput,
  perClassArgument,
} from '../../../src-renderer/src/stores/define-label-thresholds-store'
import { type Notice, useNoticesStore, wordNotice } from '../../../src-renderer/src/stores/notices'
import { createFakeStoreClient } from './fake-store-client'
import { wordsOf } from './i18n/words-of'

/** A notice as the person reads it in English. */
const english = (notice: Notice) => wordNotice(notice, wordsOf('en'))

const modelDefault = { score: 0.45, perClass: { 3: 0.6 } }

/** A project whose untouched images hold labels as a simple function of the threshold. */
function thresholdsBackend() {
  let current: LabelThresholds = { score: 0.45, perClass: { 3: 0.6 }, modelDefault }
  const labelsAt = (score: number) => Math.round(600 * (1 - score))
  return createFakeStoreClient({
    'labelThresholds.get': () => current,
    'labelThresholds.set': ({ score, perClass }) => {
      const before = labelsAt(current.score)
      current = {
        score,
        perClass: Object.fromEntries(Object.entries(perClass ?? {}).map(([id, value]) => [Number(id), value])),
        modelDefault,
      }
      return { thresholds: current, imagesChanged: before === labelsAt(score) ? 0 : 12, labelsBefore: before, labelsAfter: labelsAt(score) }
    },
  })
}

describe('label thresholds store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('reads the project value and knows when it is the model default', async () => {
    const store = defineLabelThresholdsStore(thresholdsBackend())()
    expect(store.thresholds).toBeNull()
    await store.refresh()
    expect(store.thresholds?.score).toBe(0.45)
    expect(store.usesModelDefault).toBe(true)
  })

  it('applies a new value with per-class ids as strings, and keeps the outcome to report', async () => {
    const client = thresholdsBackend()
    const store = defineLabelThresholdsStore(client)()
    await store.refresh()
    const outcome = await store.apply(0.5, { 7: 0.9 })
    expect(client.callsOf('labelThresholds.set')).toEqual([{ score: 0.5, perClass: { '7': 0.9 } }])
    expect(outcome).toMatchObject({ imagesChanged: 12, labelsBefore: 330, labelsAfter: 300 })
    expect(store.lastOutcome).toEqual(outcome)
    expect(store.thresholds).toMatchObject({ score: 0.5, perClass: { 7: 0.9 } })
    expect(store.usesModelDefault).toBe(false)

    await store.resetToModelDefault()
    expect(client.callsOf('labelThresholds.set').at(-1)).toEqual({ score: 0.45, perClass: { '3': 0.6 } })
    expect(store.usesModelDefault).toBe(true)
  })

  it('takes values another window set from the event, without asking again', async () => {
    const client = thresholdsBackend()
    const store = defineLabelThresholdsStore(client)()
    await store.refresh()
    client.emit({ type: 'labelThresholds.changed', thresholds: { score: 0.7, perClass: { 2: 0.4 }, modelDefault } })
    expect(store.thresholds).toMatchObject({ score: 0.7, perClass: { 2: 0.4 } })
    expect(store.usesModelDefault).toBe(false)
    expect(client.callsOf('labelThresholds.get')).toHaveLength(1)
  })

  it('reads the values again when a run starts: its model brings the new model default', async () => {
    const client = thresholdsBackend()
    const store = defineLabelThresholdsStore(client)()
    await store.refresh()
    client.handlers['labelThresholds.get'] = () => ({ score: 0.43, perClass: {}, modelDefault: { score: 0.43, perClass: {} } })
    client.emit({ type: 'run.started', projectFile: '/projects/shapes.rwproj', run: {} as never })
    await expect.poll(() => store.thresholds?.modelDefault.score).toBe(0.43)
    expect(client.callsOf('labelThresholds.get')).toHaveLength(2)
  })

  it('reports a refused value and keeps the last good one', async () => {
    const client = thresholdsBackend()
    client.handlers['labelThresholds.set'] = () => {
      throw new Error('Wait for the detection run to end')
    }
    const store = defineLabelThresholdsStore(client)()
    await store.refresh()
    expect(await store.apply(0.2)).toBeNull()
    expect(store.thresholds?.score).toBe(0.45)
    expect(store.lastOutcome).toBeNull()
    expect(useNoticesStore().notices.map(english)[0]).toBe('Could not change the label threshold: Wait for the detection run to end')
  })

  it('forgets the values and outcome of the previous project, and drops an answer that arrives after', async () => {
    let answer: (value: LabelThresholds) => void = () => undefined
    const client = createFakeStoreClient({
      'labelThresholds.get': () => new Promise<LabelThresholds>((resolve) => (answer = resolve)),
    })
    const store = defineLabelThresholdsStore(client)()
    const reading = store.refresh()
    store.clear()
    answer({ score: 0.3, perClass: {}, modelDefault })
    await reading
    expect(store.thresholds).toBeNull()
  })
})

describe('label threshold wording', () => {
  const english = wordsOf('en')

  it('says how many images and labels changed and that touched images were left alone', () => {
    const thresholds = { score: 0.5, perClass: {}, modelDefault }
    expect(describeThresholdOutcome({ thresholds, imagesChanged: 12, labelsBefore: 340, labelsAfter: 295 }, english)).toBe(
      '12 images changed: 340 → 295 labels; images a person touched were not changed',
    )
    expect(describeThresholdOutcome({ thresholds, imagesChanged: 1, labelsBefore: 2000, labelsAfter: 1 }, english)).toBe(
      '1 image changed: 2,000 → 1 label; images a person touched were not changed',
    )
    expect(describeThresholdOutcome({ thresholds, imagesChanged: 0, labelsBefore: 5, labelsAfter: 5 }, english)).toBe(
      'No image changed; images a person touched were not changed',
    )
    const thresholdsZh = { score: 0.5, perClass: {}, modelDefault }
    expect(describeThresholdOutcome({ thresholds: thresholdsZh, imagesChanged: 12, labelsBefore: 340, labelsAfter: 295 }, wordsOf('zh-CN'))).toBe(
      '12 张图像已更改：340 → 295 个标注；人工改动过的图像未被更改',
    )
  })

  it('sends class ids as decimal strings, the only keys JSON has', () => {
    expect(perClassArgument({ 3: 0.6, 12: 0.25 })).toEqual({ '3': 0.6, '12': 0.25 })
  })
})

describe('label threshold input', () => {
  it('takes a number above 0 and at most 1, typed or as a number, and nothing else', () => {
    expect(parseThresholdInput(' 0.45 ')).toBe(0.45)
    expect(parseThresholdInput(0.01)).toBe(0.01)
    expect(parseThresholdInput('1')).toBe(1)
    for (const bad of ['', '  ', '0', '-0.2', '1.01', 'abc', 'NaN', 'Infinity']) expect(parseThresholdInput(bad)).toBeNull()
  })
})
