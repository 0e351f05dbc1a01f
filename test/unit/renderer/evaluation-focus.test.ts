import type { Canvas2D } from '../../../src-renderer/src/viewer/box-painter'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { useNavigationStore } from '../../../src-renderer/src/stores/navigation'
import { defineEvaluationFocusStore } from '../../../src-renderer/src/stores/define-evaluation-focus-store'
import { evaluationHighlights, HIGHLIGHT_COLOURS, paintEvaluationHighlights } from '../../../src-renderer/src/viewer/evaluation-painter'
import { judgedImage } from './evaluation-fixtures'
import { createFakeStoreClient } from './fake-store-client'

const images = [
  { imageId: 4, relativePath: 'a.png', boxes: 2 },
  { imageId: 7, relativePath: 'b.png', boxes: 1 },
]

describe('evaluation focus store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('steps through the picked images and judges the one shown', async () => {
    const client = createFakeStoreClient({ 'evaluation.forImage': ({ imageId, runId }) => judgedImage(imageId, runId) })
    const store = defineEvaluationFocusStore(client)()
    store.start(3, () => 'a labels detected as b', images, 0)
    expect(store.step(-1)).toBeNull()
    expect(store.step(1)?.imageId).toBe(7)
    expect(store.step(1)).toBeNull()
    await store.showing(7)
    expect(client.callsOf('evaluation.forImage')).toEqual([{ runId: 3, imageId: 7 }])
    expect(store.falsePositives.map((entry) => entry.detectionId)).toEqual([12, 13])
    expect(store.missed.map((entry) => entry.labelId)).toEqual([103])
    // Opening an image by other means moves the position when it is in the list.
    await store.showing(4)
    expect(store.focus?.position).toBe(0)
  })

  it('judges the shown image again when its labels change, not for other images', async () => {
    const client = createFakeStoreClient({ 'evaluation.forImage': ({ imageId, runId }) => judgedImage(imageId, runId) })
    const store = defineEvaluationFocusStore(client)()
    store.start(3, () => 'picked', images, 0)
    await store.showing(4)
    client.emit({ type: 'labels.changed', imageIds: [7] })
    client.emit({ type: 'labels.changed', imageIds: [4] })
    await Promise.resolve()
    expect(client.callsOf('evaluation.forImage')).toHaveLength(2)
    store.stop()
    expect(store.judged).toBeNull()
    await store.showing(4)
    expect(client.callsOf('evaluation.forImage')).toHaveLength(2)
  })
})

describe('evaluation focus outside the list', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('neither judges nor shows the bar on an image outside the list, and comes back with the list', async () => {
    const client = createFakeStoreClient({ 'evaluation.forImage': ({ imageId, runId }) => judgedImage(imageId, runId) })
    const store = defineEvaluationFocusStore(client)()
    store.start(3, () => 'picked', images, 0)
    await store.showing(4)
    expect(store.inList).toBe(true)
    expect(store.judged?.imageId).toBe(4)
    await store.showing(99)
    expect(store.inList).toBe(false)
    expect(store.judged).toBeNull()
    expect(client.callsOf('evaluation.forImage')).toEqual([{ runId: 3, imageId: 4 }])
    expect(store.step(1)?.imageId).toBe(7)
    await store.showing(7)
    expect(store.inList).toBe(true)
  })

  it('ends when the grid (or the start view) is shown, as before an export', async () => {
    const client = createFakeStoreClient({ 'evaluation.forImage': ({ imageId, runId }) => judgedImage(imageId, runId) })
    const store = defineEvaluationFocusStore(client)()
    const navigation = useNavigationStore()
    navigation.showEvaluation()
    store.start(3, () => 'picked', images, 0)
    navigation.showImage(0)
    await store.showing(4)
    navigation.showEvaluation() // G from an image opened from the evaluation: the list stays
    await nextTick()
    expect(store.focus).not.toBeNull()
    navigation.showProject() // "← Grid"
    await nextTick()
    expect(store.focus).toBeNull()
    expect(store.inList).toBe(false)
    expect(store.judged).toBeNull()
  })
})

describe('evaluation highlights', () => {
  const names: Record<number, string> = { 1: 'circle', 2: 'star' }
  const nameOf = (classId: number) => names[classId] ?? '?'

  it('marks false positives, wrong classes with the label they took, and missed labels; not true positives', () => {
    const highlights = evaluationHighlights(judgedImage(4), nameOf, (labelId) => (labelId === 102 ? 1 : undefined))
    expect(highlights).toEqual([
      { kind: 'wrongClass', box: [20, 20, 30, 30], text: 'star 0.80, label: circle' },
      { kind: 'background', box: [40, 40, 50, 50], text: 'false: circle 0.60' },
      { kind: 'missed', box: [60, 60, 70, 70], text: 'missed: star' },
    ])
  })

  it('draws each mark outside its box in its colour, with its tag', () => {
    const strokes: { colour: unknown; rect: number[] }[] = []
    const texts: string[] = []
    let lastRect: number[] = []
    const canvas: Canvas2D = {
      save: () => undefined,
      restore: () => undefined,
      beginPath: () => undefined,
      rect: (...rect) => (lastRect = rect),
      stroke: () => strokes.push({ colour: canvas.strokeStyle, rect: lastRect }),
      fill: () => undefined,
      fillRect: () => undefined,
      fillText: (text) => texts.push(text),
      measureText: (text) => ({ width: text.length * 7 }),
      setLineDash: () => undefined,
      strokeStyle: '',
      fillStyle: '',
      lineWidth: 1,
      globalAlpha: 1,
      font: '',
      textBaseline: '',
    }
    const highlights = evaluationHighlights(judgedImage(4), nameOf, () => 1)
    paintEvaluationHighlights(canvas, highlights, { scale: 2, offsetX: 10, offsetY: 0 }, 2, { width: 800, height: 600 })
    const coloured = strokes.filter((stroke) => stroke.colour !== 'rgba(0, 0, 0, 0.8)')
    expect(coloured.map((stroke) => stroke.colour)).toEqual([HIGHLIGHT_COLOURS.wrongClass, HIGHLIGHT_COLOURS.background, HIGHLIGHT_COLOURS.missed])
    // Box [20, 20, 30, 30] at scale 2, offset x 10 is [50, 40, 70, 60]; the mark lies 5 px outside.
    expect(coloured[0]!.rect).toEqual([45, 35, 30, 30])
    expect(texts).toEqual(['star 0.80, label: circle', 'false: circle 0.60', 'missed: star'])
  })
})
