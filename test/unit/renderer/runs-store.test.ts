import type { RunProgress, RunSummary } from '@shared/api/types'
import { ApiCallError } from '@shared/api/result'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { defineRunsStore } from '../../../src-renderer/src/stores/define-runs-store'
import { useNoticesStore } from '../../../src-renderer/src/stores/notices'
import { createFakeStoreClient, settle } from './fake-store-client'
import { runSummary } from './run-summary-fixture'

const FIRST = '/projects/first.rwproj'
const SECOND = '/projects/second.rwproj'

const run = (id: number, state: RunSummary['state']) => runSummary(id, state)

function progress(runId: number, processed: number): RunProgress {
  return {
    runId,
    processed,
    saved: processed,
    total: 10,
    errors: 0,
    detections: 0,
    imagesPerSecond: 1,
    etaSeconds: null,
    currentFile: null,
    lastError: null,
  }
}

/** A promise the test settles by hand, to answer a call after something else happened. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((doResolve, doReject) => {
    resolve = doResolve
    reject = doReject
  })
  return { promise, resolve, reject }
}

describe('runs store and the project a run belongs to', () => {
  let shown: string | null

  beforeEach(() => {
    setActivePinia(createPinia())
    shown = FIRST
  })

  function setUp(handlers: Parameters<typeof createFakeStoreClient>[0] = {}) {
    const client = createFakeStoreClient({
      'runs.list': () => [],
      'runs.active': () => null,
      'images.grid': () => ({ total: 0, offset: 0, items: [] }),
      ...handlers,
    })
    const store = defineRunsStore(client, () => shown)()
    return { client, store }
  }

  it('drops the run events of another project', async () => {
    const { client, store } = setUp()
    await store.refresh()
    client.emit({ type: 'run.started', projectFile: SECOND, run: run(2, 'running') })
    client.emit({ type: 'run.progress', projectFile: SECOND, progress: progress(2, 3) })
    client.emit({ type: 'run.imageFailed', projectFile: SECOND, runId: 2, relativePath: 'bad.png', message: 'truncated' })
    client.emit({ type: 'run.finished', projectFile: SECOND, run: run(2, 'cancelled') })
    await settle()
    expect(store.runs).toEqual([])
    expect(store.activeRun).toBeNull()
    expect(store.progress).toBeNull()
    expect(store.resumable).toBeNull()
    // Only the refresh itself read the failed images; the other project's failure did not.
    expect(client.callsOf('images.grid')).toHaveLength(1)

    client.emit({ type: 'run.started', projectFile: FIRST, run: run(4, 'running') })
    client.emit({ type: 'run.progress', projectFile: FIRST, progress: progress(4, 3) })
    expect(store.activeRun?.id).toBe(4)
    expect(store.progress?.processed).toBe(3)
    client.emit({ type: 'run.finished', projectFile: FIRST, run: run(4, 'cancelled') })
    expect(store.runs.map((entry) => entry.id)).toEqual([4])
    expect(store.resumable?.id).toBe(4)
  })

  it('names the shown project in start, resume and cancel', async () => {
    const { client, store } = setUp({
      'runs.start': () => run(5, 'running'),
      'runs.resume': () => run(3, 'running'),
      'runs.cancel': () => null,
    })
    await store.refresh()
    await store.start('all', 'cpu')
    await store.cancel()
    await store.resume(3)
    expect(client.callsOf('runs.start')).toEqual([{ scope: 'all', provider: 'cpu', projectFile: FIRST }])
    expect(client.callsOf('runs.cancel')).toEqual([{ runId: 5, projectFile: FIRST }])
    expect(client.callsOf('runs.resume')).toEqual([{ runId: 3, projectFile: FIRST }])
  })

  it('forgets a start that answers after another project was shown, and does not report its failure there', async () => {
    const answer = deferred<RunSummary>()
    const { store } = setUp({ 'runs.start': () => answer.promise })
    await store.refresh()
    const starting = store.start('all')
    expect(store.busy).toBe(true)

    shown = SECOND
    store.clear()
    // The second project's buttons work at once, not after the first project's call.
    expect(store.busy).toBe(false)
    await store.refresh()
    answer.reject(new ApiCallError({ code: 'conflict', message: `The project ${FIRST} was closed while detection run 2 was starting.` }))
    await starting
    expect(useNoticesStore().notices).toEqual([])
    expect(store.runs).toEqual([])
    expect(store.activeRun).toBeNull()
    expect(store.busy).toBe(false)
  })

  it('does not show a run whose start answers after another project was shown', async () => {
    const answer = deferred<RunSummary>()
    const { store } = setUp({ 'runs.start': () => answer.promise })
    await store.refresh()
    const starting = store.start('all')
    shown = SECOND
    store.clear()
    answer.resolve(run(2, 'running'))
    await starting
    expect(store.runs).toEqual([])
    expect(store.activeRun).toBeNull()
    expect(store.running).toBe(false)
  })

  it('drops a list of runs that answers after another project was shown', async () => {
    const firstList = deferred<RunSummary[]>()
    let lists = 0
    const { store } = setUp({ 'runs.list': () => (++lists === 1 ? firstList.promise : [run(1, 'done')]) })
    const refreshingFirst = store.refresh()
    shown = SECOND
    store.clear()
    await store.refresh()
    firstList.resolve([run(2, 'cancelled')])
    await refreshingFirst
    expect(store.runs.map((entry) => entry.id)).toEqual([1])
    expect(store.resumable).toBeNull()
  })
})
