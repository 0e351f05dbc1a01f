import type { RunSummary } from '@shared/api/types'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineRunsStore } from '../../../src-renderer/src/stores/define-runs-store'
import { runComparisonOffer } from '../../../src-renderer/src/stores/run-comparison'
import { createFakeStoreClient } from './fake-store-client'
import { runSummary } from './run-summary-fixture'

const PROJECT = '/projects/shapes.rwproj'
const APP_MODEL = '/app/models/retinanet.onnx'
const TRAINED = '/projects/models/shapes-20261205-1432.onnx'

const run = (id: number, state: RunSummary['state'], modelPath: string) =>
  runSummary(id, state, {
    modelPath,
    startedAt: '2026-12-05T14:00:00.000Z',
    finishedAt: state === 'running' ? null : '2026-12-05T14:01:00.000Z',
    imagesDone: 16,
    detectionCount: 40,
  })

describe('the run a finished run is compared with', () => {
  it('is the newest earlier finished run of another model', () => {
    const runs = [run(4, 'done', TRAINED), run(3, 'done', TRAINED), run(2, 'cancelled', APP_MODEL), run(1, 'done', APP_MODEL)]
    expect(runComparisonOffer(runs)).toEqual({ runId: 4, previousRunId: 1 })
  })

  it('is none while the newest run goes on or did not finish, or when every earlier run used the same model', () => {
    expect(runComparisonOffer([run(2, 'running', TRAINED), run(1, 'done', APP_MODEL)])).toBeNull()
    expect(runComparisonOffer([run(2, 'failed', TRAINED), run(1, 'done', APP_MODEL)])).toBeNull()
    expect(runComparisonOffer([run(2, 'done', APP_MODEL), run(1, 'done', APP_MODEL)])).toBeNull()
    expect(runComparisonOffer([run(1, 'done', TRAINED)])).toBeNull()
    expect(runComparisonOffer([])).toBeNull()
  })
})

describe('runs store: the model a run uses', () => {
  let shown: string | null

  beforeEach(() => {
    setActivePinia(createPinia())
    shown = PROJECT
  })

  function setUp(list: RunSummary[] = []) {
    let nextId = list.length + 1
    const client = createFakeStoreClient({
      'runs.list': () => list,
      'runs.active': () => null,
      'images.grid': () => ({ total: 0, offset: 0, items: [] }),
      'runs.start': (args) => run(nextId++, 'running', args.modelPath ?? APP_MODEL),
    })
    const store = defineRunsStore(client, () => shown)()
    return { client, store }
  }

  it("runs the app's model until a trained one is chosen, then that one", async () => {
    const { client, store } = setUp()
    await store.refresh()
    await store.start('unprocessed', 'cpu')
    store.chooseModel(TRAINED)
    await store.start('all', 'cpu')
    store.chooseModel(null)
    await store.start('all')
    expect(client.callsOf('runs.start')).toEqual([
      { scope: 'unprocessed', provider: 'cpu', projectFile: PROJECT },
      { scope: 'all', provider: 'cpu', modelPath: TRAINED, projectFile: PROJECT },
      { scope: 'all', provider: 'auto', projectFile: PROJECT },
    ])
  })

  it('keeps the model a run was started with from the Improve panel as the choice for the next runs', async () => {
    const { client, store } = setUp()
    await store.refresh()
    await store.startWithModel('all', TRAINED, 'webgpu')
    expect(store.chosenModel).toBe(TRAINED)
    expect(store.activeRun?.modelPath).toBe(TRAINED)
    await store.start('unprocessed', 'cpu')
    expect(client.callsOf('runs.start')).toEqual([
      { scope: 'all', provider: 'webgpu', modelPath: TRAINED, projectFile: PROJECT },
      { scope: 'unprocessed', provider: 'cpu', modelPath: TRAINED, projectFile: PROJECT },
    ])
  })

  it('does not choose a model when the run cannot start, and forgets the choice in another project', async () => {
    const { client, store } = setUp()
    await store.refresh()
    shown = null
    await store.startWithModel('all', TRAINED)
    expect(store.chosenModel).toBeNull()
    expect(client.callsOf('runs.start')).toEqual([])

    shown = PROJECT
    store.chooseModel(TRAINED)
    shown = '/projects/other.rwproj'
    store.clear()
    expect(store.chosenModel).toBeNull()
  })

  it('offers the comparison once the trained model’s run has ended, against the run before it', async () => {
    const { client, store } = setUp([run(1, 'done', APP_MODEL)])
    await store.refresh()
    expect(store.comparison).toBeNull()
    await store.startWithModel('all', TRAINED)
    expect(store.comparison).toBeNull() // still running
    client.emit({ type: 'run.finished', projectFile: PROJECT, run: run(2, 'done', TRAINED) })
    expect(store.comparison).toEqual({ runId: 2, previousRunId: 1 })
  })
})
