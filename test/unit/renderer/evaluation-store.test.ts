import type { EvaluationReport } from '@shared/api/evaluation-types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineEvaluationStore, thresholdsFromSuggestions } from '../../../src-renderer/src/stores/define-evaluation-store'
import { classRow, report, runEvaluation } from './evaluation-fixtures'
import { createFakeStoreClient } from './fake-store-client'

function evaluationBackend() {
  return createFakeStoreClient({
    'evaluation.evaluate': ({ runId, compareRunId }) =>
      report(runEvaluation(runId, [classRow(1, 'a')]), compareRunId === undefined ? null : runEvaluation(compareRunId, [classRow(1, 'a')])),
    'evaluation.images': () => ({ images: [{ imageId: 5, relativePath: 'x/5.png', boxes: 2 }], boxes: 2 }),
  })
}

describe('evaluation store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('scores the chosen run, with the compared run and folder in the same scope', async () => {
    const client = evaluationBackend()
    const store = defineEvaluationStore(client)()
    await store.evaluate()
    expect(client.calls).toEqual([]) // no run chosen yet: nothing to score
    await store.choose({ runId: 3 })
    await store.choose({ compareRunId: 2, folder: 'val', targetPrecision: 0.8 })
    expect(client.callsOf('evaluation.evaluate')).toEqual([
      { runId: 3, targetPrecision: 0.9 },
      { runId: 3, compareRunId: 2, folder: 'val', targetPrecision: 0.8 },
    ])
    expect(store.report?.comparison?.run.id).toBe(2)
    // Comparing a run with itself is no comparison.
    await store.choose({ compareRunId: 3 })
    expect(store.compareRunId).toBeNull()
  })

  it('lists the images behind a pick in the same scope, for the compared run with the runs swapped', async () => {
    const client = evaluationBackend()
    const store = defineEvaluationStore(client)()
    await store.choose({ runId: 3, compareRunId: 2, folder: 'val' })
    await store.pick(() => 'a found', { kind: 'cell', row: 0, column: 0 })
    await store.pick(() => 'a found (run 2)', { kind: 'cell', row: 0, column: 0 }, 2)
    expect(client.callsOf('evaluation.images')).toEqual([
      { runId: 3, compareRunId: 2, folder: 'val', selection: { kind: 'cell', row: 0, column: 0 } },
      { runId: 2, compareRunId: 3, folder: 'val', selection: { kind: 'cell', row: 0, column: 0 } },
    ])
    expect(store.chosen).toMatchObject({ runId: 2, boxes: 2, images: [{ imageId: 5 }] })
    expect(store.chosen?.title()).toBe('a found (run 2)')
    store.closeChosen()
    expect(store.chosen).toBeNull()
  })

  it('marks the report stale when labels change elsewhere, and a new score clears it', async () => {
    const client = evaluationBackend()
    const store = defineEvaluationStore(client)()
    await store.choose({ runId: 1 })
    client.emit({ type: 'labels.changed', imageIds: [4] })
    expect(store.stale).toBe(true)
    await store.evaluate()
    expect(store.stale).toBe(false)
    client.emit({ type: 'labelThresholds.changed', thresholds: { score: 0.4, perClass: {}, modelDefault: { score: 0.5, perClass: {} } } })
    expect(store.stale).toBe(true)
    await store.evaluate()
    client.emit({ type: 'project.changed', project: null })
    expect(store.report).toBeNull()
    expect(store.runId).toBeNull()
  })

  it('keeps the newest answer when scores overlap', async () => {
    let release: (value: EvaluationReport) => void = () => undefined
    const client = createFakeStoreClient({
      'evaluation.evaluate': ({ runId }) =>
        runId === 1 ? new Promise<EvaluationReport>((resolve) => (release = resolve)) : report(runEvaluation(runId, [])),
    })
    const store = defineEvaluationStore(client)()
    const slow = store.choose({ runId: 1 })
    await store.choose({ runId: 2 })
    release(report(runEvaluation(1, [])))
    await slow
    expect(store.report?.primary.run.id).toBe(2)
  })

  it('reports a failed score as the error to show', async () => {
    const client = createFakeStoreClient({
      'evaluation.evaluate': () => {
        throw new Error('This project has no run #9')
      },
    })
    const store = defineEvaluationStore(client)()
    await store.choose({ runId: 9 })
    expect(store.error).toEqual({ message: 'This project has no run #9' })
    expect(store.loading).toBe(false)
  })
})

describe('thresholds from suggestions', () => {
  const point = (score: number) => ({ score, precision: 0.9, recall: 0.8, f1: 0.85 })
  const evaluated = runEvaluation(1, [
    classRow(1, 'a', { suggestedThresholds: { bestF1: point(0.42), forPrecision: point(0.7) } }),
    classRow(2, 'b', { suggestedThresholds: { bestF1: point(0), forPrecision: null } }),
    classRow(3, 'c'),
  ])

  it('gives each suggested class its score and leaves the others as they are', () => {
    expect(thresholdsFromSuggestions(evaluated, 'bestF1', { score: 0.5, perClass: { 3: 0.6 } })).toEqual({
      score: 0.5,
      // A suggestion at 0 keeps everything; the API takes thresholds above 0.
      perClass: { 1: 0.42, 2: 0.001, 3: 0.6 },
    })
    expect(thresholdsFromSuggestions(evaluated, 'forPrecision', { score: 0.5, perClass: {} })).toEqual({ score: 0.5, perClass: { 1: 0.7 } })
  })

  it('has nothing to apply when no class has a suggestion', () => {
    expect(thresholdsFromSuggestions(runEvaluation(1, [classRow(3, 'c')]), 'bestF1', { score: 0.5, perClass: {} })).toBeNull()
  })
})
