/**
 * Issue 19, item 7: a detection run belongs to the project it was started in. Opening another
 * project while the run starts, is cancelled or is resumed must leave the run in its own
 * project file, name that project in every run event, and answer with a plain sentence, never
 * an internal error. Real project files, the real fixture model, the API as a transport sees it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ApiEvent } from '@shared/api/events'
import type { ApiResult } from '@shared/api/result'
import type { RunSummary } from '@shared/api/types'
import { type ApiContext, createApiContext, disposeApiContext } from '../../../src-main/api/api-context'
import { createDispatcher, type Dispatch } from '../../../src-main/api/dispatcher'
import { createApiHandlers } from '../../../src-main/api/handlers'
import { copyFixtureImages, fixtureModel, withDatabase } from './project-fixture'

/** Enough images that a cancel right after the start lands before the end. */
const FIRST_IMAGES = 40
const SECOND_IMAGES = 3

type RunEvent = Extract<ApiEvent, { type: `run.${string}` }>

let folder: string
let context: ApiContext
let dispatch: Dispatch
const events: ApiEvent[] = []
/** What the dispatcher logs as internal errors (never sent to the caller). */
const internalErrors: string[] = []
let first: string
let second: string

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const result = await dispatch(method, args)
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`)
  return result.value as T
}

function isRunEvent(event: ApiEvent): event is RunEvent {
  return event.type.startsWith('run.')
}

function runEventsSince(from: number): RunEvent[] {
  return events.slice(from).filter(isRunEvent)
}

/** Resolves with the first event from index `from` on that matches. */
function waitForEvent<T extends ApiEvent>(matches: (event: ApiEvent) => event is T, from: number): Promise<T> {
  const seen = events.slice(from).find(matches)
  if (seen) return Promise.resolve(seen)
  return new Promise((resolve) => {
    const stop = context.events.subscribe((event) => {
      if (!matches(event)) return
      stop()
      resolve(event)
    })
  })
}

const finishedIn =
  (projectFile: string) =>
  (event: ApiEvent): event is Extract<ApiEvent, { type: 'run.finished' }> =>
    event.type === 'run.finished' && 'projectFile' in event && event.projectFile === projectFile

function runsIn(projectFile: string): { id: number; state: string }[] {
  return withDatabase(projectFile, (db) => db.prepare('SELECT id, state FROM runs ORDER BY id').all() as { id: number; state: string }[])
}

function expectPlainFailure(result: ApiResult<unknown>): { code: string; message: string } {
  expect(result.ok).toBe(false)
  if (result.ok) throw new Error('unreachable')
  expect(result.error.code).not.toBe('internal')
  return result.error
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rw-run-switch-'))
  copyFixtureImages(join(folder, 'first'), FIRST_IMAGES)
  copyFixtureImages(join(folder, 'second'), SECOND_IMAGES)
  context = createApiContext({ appVersion: '0.0.0-test', transport: 'http', userDataDir: join(folder, 'user-data'), defaultModelPath: fixtureModel })
  dispatch = createDispatcher(createApiHandlers(context), { logError: (method, error) => internalErrors.push(`${method}: ${String(error)}`) })
  context.events.subscribe((event) => events.push(event))
  first = (await value<{ file: string }>('project.create', { imageFolder: join(folder, 'first') })).file
  second = (await value<{ file: string }>('project.create', { imageFolder: join(folder, 'second') })).file
})

afterEach(async () => {
  await context.runs.idle()
})

afterAll(() => {
  if (context) disposeApiContext(context)
  rmSync(folder, { recursive: true, force: true })
})

describe('a detection run and the project it belongs to', () => {
  let cancelledRunId: number

  it('keeps a run that was starting when another project opened in its own file, and says so in plain words', async () => {
    const logged = vi.spyOn(console, 'error')
    await value('project.open', { projectFile: first })
    const from = events.length

    const [started, opened] = await Promise.all([
      dispatch('runs.start', { scope: 'all', projectFile: first }),
      dispatch('project.open', { projectFile: second }),
    ])
    expect(opened.ok).toBe(true)
    // The worker reports the run row long after the switch: the start cannot complete in the
    // project that was closed meanwhile, and says why.
    const failure = expectPlainFailure(started)
    expect(failure.message).toContain(first)
    expect(failure.message).toMatch(/resume/i)

    const finished = await waitForEvent(finishedIn(first), from)
    expect(finished.run.state).toBe('cancelled')
    cancelledRunId = finished.run.id
    const runEvents = runEventsSince(from)
    expect(runEvents.length).toBeGreaterThan(0)
    expect(runEvents.map((event) => ('projectFile' in event ? event.projectFile : null))).toEqual(runEvents.map(() => first))

    expect(await value<RunSummary[]>('runs.list')).toEqual([])
    expect(runsIn(first)).toEqual([{ id: cancelledRunId, state: 'cancelled' }])
    expect(runsIn(second)).toEqual([])
    expect(internalErrors).toEqual([])
    expect(logged).not.toHaveBeenCalled()
    logged.mockRestore()
  }, 60_000)

  it('refuses to resume or cancel that run while another project is open, naming its project', async () => {
    const resumed = expectPlainFailure(await dispatch('runs.resume', { runId: cancelledRunId, projectFile: first }))
    expect(resumed.code).toBe('conflict')
    expect(resumed.message).toContain(first)
    const cancelled = expectPlainFailure(await dispatch('runs.cancel', { runId: cancelledRunId, projectFile: first }))
    expect(cancelled.code).toBe('conflict')
    expect(cancelled.message).toContain(first)
    // A start meant for the first project does not start in the second one either.
    const startedHere = expectPlainFailure(await dispatch('runs.start', { scope: 'all', projectFile: first }))
    expect(startedHere.message).toContain(first)

    expect(runsIn(first)).toEqual([{ id: cancelledRunId, state: 'cancelled' }])
    expect(runsIn(second)).toEqual([])
    expect(internalErrors).toEqual([])
  })

  it('resumes the run once its project is open again and finishes it there, every event naming that project', async () => {
    await value('project.open', { projectFile: first })
    const from = events.length
    const resumed = await value<RunSummary>('runs.resume', { runId: cancelledRunId, projectFile: first })
    expect(resumed).toMatchObject({ id: cancelledRunId, state: 'running' })
    const finished = await waitForEvent(finishedIn(first), from)
    expect(finished.run).toMatchObject({ id: cancelledRunId, state: 'done', imagesDone: FIRST_IMAGES })
    const runEvents = runEventsSince(from)
    expect(runEvents.map((event) => ('projectFile' in event ? event.projectFile : null))).toEqual(runEvents.map(() => first))
    expect(runsIn(first)).toEqual([{ id: cancelledRunId, state: 'done' }])
    expect(runsIn(second)).toEqual([])
  }, 120_000)

  it('ends a run cancelled while another project opens as cancelled in its own file', async () => {
    const from = events.length
    const started = await value<RunSummary>('runs.start', { scope: 'all', projectFile: first })
    const [cancelled, opened] = await Promise.all([
      dispatch('runs.cancel', { runId: started.id, projectFile: first }),
      dispatch('project.open', { projectFile: second }),
    ])
    expect(cancelled).toEqual({ ok: true, value: null })
    expect(opened.ok).toBe(true)
    const finished = await waitForEvent(finishedIn(first), from)
    expect(finished.run).toMatchObject({ id: started.id, state: 'cancelled' })
    expect(finished.run.imagesDone).toBeLessThan(FIRST_IMAGES)
    const runEvents = runEventsSince(from)
    expect(runEvents.map((event) => ('projectFile' in event ? event.projectFile : null))).toEqual(runEvents.map(() => first))

    expect(await value<RunSummary[]>('runs.list')).toEqual([])
    expect(runsIn(first)).toEqual([
      { id: cancelledRunId, state: 'done' },
      { id: started.id, state: 'cancelled' },
    ])
    expect(runsIn(second)).toEqual([])
    expect(internalErrors).toEqual([])
  }, 60_000)

  it('describes a run from its own file when its project is opened again while the run is still stopping', async () => {
    await value('project.open', { projectFile: first })
    const from = events.length
    const started = await value<RunSummary>('runs.start', { scope: 'all', projectFile: first })
    await value('project.open', { projectFile: second })
    await value('project.open', { projectFile: first })
    const finished = await waitForEvent(finishedIn(first), from)
    const stored = await value<RunSummary[]>('runs.list')
    expect(finished.run).toEqual(stored.find((run) => run.id === started.id))
    expect(finished.run.state).toBe('cancelled')
    expect(runsIn(second)).toEqual([])
    expect(internalErrors).toEqual([])
  }, 60_000)
})
