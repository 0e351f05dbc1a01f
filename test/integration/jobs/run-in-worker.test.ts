/** The same detection job in a worker thread: messages relayed, cancel forwarded, errors returned. */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { requireRun } from '../../../src-main/core/db/runs-repository'
import type { DetectionRunProgress, DetectionRunStarted } from '../../../src-main/core/jobs/detection-run-types'
import { runInWorker } from '../../../src-main/core/jobs/run-in-worker'
import { checkResults, createProjectFixture, fixtureModel, withDatabase, type ProjectFixture } from './project-fixture'

const fixtures: ProjectFixture[] = []
afterEach(() => {
  for (const fixture of fixtures.splice(0)) rmSync(fixture.dir, { recursive: true, force: true })
})
async function project(count: number): Promise<ProjectFixture> {
  const fixture = await createProjectFixture(count)
  fixtures.push(fixture)
  return fixture
}

describe('runInWorker', () => {
  it('runs the job off the calling thread and relays start, progress and the summary', async () => {
    const fixture = await project(8)
    const started: DetectionRunStarted[] = []
    const events: DetectionRunProgress[] = []
    const summary = await runInWorker(
      { kind: 'start', projectFile: fixture.projectFile, settings: { modelPath: fixtureModel, provider: 'cpu' } },
      { onStarted: (event) => started.push(event), onProgress: (event) => events.push(event) },
    )
    expect(summary).toMatchObject({ state: 'done', total: 8, processed: 8, providerUsed: 'cpu' })
    expect(started).toEqual([expect.objectContaining({ runId: summary.runId, total: 8, resumed: false })])
    expect(events.length).toBeGreaterThan(0)
    expect(events.at(-1)).toMatchObject({ processed: 8, saved: 8 })
    withDatabase(fixture.projectFile, (db) => {
      expect(checkResults(db).every((check) => check.resultRows === 1 && check.actualDetections === check.recordedCount)).toBe(true)
    })
  })

  it('forwards a cancel, and a resumed worker run finishes the rest', async () => {
    const fixture = await project(16)
    const controller = new AbortController()
    const cancelled = await runInWorker(
      { kind: 'start', projectFile: fixture.projectFile, settings: { modelPath: fixtureModel, provider: 'cpu', commitEveryImages: 2 } },
      { signal: controller.signal, onProgress: (event) => event.processed >= 3 && controller.abort() },
    )
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.processed).toBeLessThan(16)
    withDatabase(fixture.projectFile, (db) => expect(requireRun(db, cancelled.runId).state).toBe('cancelled'))

    const resumed = await runInWorker({ kind: 'resume', projectFile: fixture.projectFile, runId: cancelled.runId, settings: {} })
    expect(resumed).toMatchObject({ runId: cancelled.runId, state: 'done', processed: 16, total: 16 })
    expect(resumed.processedThisSession).toBe(16 - cancelled.processed)
    withDatabase(fixture.projectFile, (db) => expect(checkResults(db).every((check) => check.resultRows === 1)).toBe(true))
  })

  it('returns a failure as a rejected promise with its message and code', async () => {
    const fixture = await project(2)
    await expect(
      runInWorker({ kind: 'start', projectFile: fixture.projectFile, settings: { modelPath: join(fixture.dir, 'absent.onnx') } }),
    ).rejects.toThrow(/model file not found/)
    await expect(runInWorker({ kind: 'resume', projectFile: fixture.projectFile, runId: 42, settings: {} })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no detection run with id 42/),
    })
  })
})
