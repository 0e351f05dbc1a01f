import { spawnSync } from 'node:child_process'
import { hostname } from 'node:os'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  RUN_LEASE_MS,
  claimRunLease,
  isLeaseLive,
  markInterruptedRuns,
  newLeaseOwner,
  readRunLease,
  releaseRunLease,
  renewRunLease,
} from '../../../src-main/core/db/run-lease'
import { finishRun, findRun } from '../../../src-main/core/db/runs-repository'
import { createTemporaryProject, startRun, testTime, type TemporaryProject } from './project-database-fixture'

let project: TemporaryProject

beforeEach(async () => {
  project = await createTemporaryProject('rw-lease-')
})

afterEach(async () => {
  await project.dispose()
})

/** The id of a process that has already exited: its leases are stale at once. */
function exitedProcessId(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
  return Number(child.stdout)
}

const now = Date.parse(testTime)

describe('run lease', () => {
  it('lets one runner at a time claim a run, and the same runner claim it again', () => {
    const runId = startRun(project.db)
    const first = newLeaseOwner()
    const second = newLeaseOwner()
    expect(first).not.toBe(second)
    claimRunLease(project.db, runId, first, now)
    expect(readRunLease(project.db, runId)).toEqual({ owner: first, expiresAt: now + RUN_LEASE_MS })
    claimRunLease(project.db, runId, first, now + 1000)
    expect(() => claimRunLease(project.db, runId, second, now + 2000)).toThrow(
      new RegExp(`run ${runId} is being processed by another window or command \\(process ${process.pid}\\)`),
    )
    expect(readRunLease(project.db, runId)?.owner).toBe(first)
  })

  it('hands a lapsed lease to the next runner, and the first one learns it lost the run', () => {
    const runId = startRun(project.db)
    const first = newLeaseOwner()
    const second = newLeaseOwner()
    claimRunLease(project.db, runId, first, now)
    expect(renewRunLease(project.db, runId, first, now + RUN_LEASE_MS - 1)).toBe(true)
    const lapsed = now + 2 * RUN_LEASE_MS
    claimRunLease(project.db, runId, second, lapsed)
    expect(renewRunLease(project.db, runId, first, lapsed)).toBe(false)
    releaseRunLease(project.db, runId, first)
    expect(readRunLease(project.db, runId)?.owner).toBe(second)
    releaseRunLease(project.db, runId, second)
    expect(readRunLease(project.db, runId)).toBeNull()
  })

  it('treats a lease of a process of this machine that has exited as stale before it lapses', () => {
    const deadOwner = `${hostname()}#${exitedProcessId()}#token`
    const liveOwner = `${hostname()}#${process.pid}#token`
    const otherMachine = `build-server-7#${exitedProcessId()}#token`
    expect(isLeaseLive({ owner: deadOwner, expiresAt: now + RUN_LEASE_MS }, now)).toBe(false)
    expect(isLeaseLive({ owner: liveOwner, expiresAt: now + RUN_LEASE_MS }, now)).toBe(true)
    // Another machine's process cannot be asked; only its lapse frees the run.
    expect(isLeaseLive({ owner: otherMachine, expiresAt: now + RUN_LEASE_MS }, now)).toBe(true)
    expect(isLeaseLive({ owner: otherMachine, expiresAt: now }, now)).toBe(false)
    expect(isLeaseLive(null, now)).toBe(false)

    const runId = startRun(project.db)
    claimRunLease(project.db, runId, deadOwner, now)
    claimRunLease(project.db, runId, newLeaseOwner(), now + 1)
    const remote = startRun(project.db)
    claimRunLease(project.db, remote, otherMachine, now)
    expect(() => claimRunLease(project.db, remote, newLeaseOwner(), now + 1)).toThrow(/process \d+ on build-server-7/)
  })

  it('is freed when the run ends, and refused for a run that does not exist', () => {
    const runId = startRun(project.db)
    claimRunLease(project.db, runId, newLeaseOwner(), now)
    finishRun(project.db, runId, { state: 'done', finishedAt: testTime })
    expect(readRunLease(project.db, runId)).toBeNull()
    expect(() => claimRunLease(project.db, 404, newLeaseOwner(), now)).toThrow(/no detection run with id 404/)
  })
})

describe('marking interrupted runs', () => {
  it('fails the running runs whose runner is gone and leaves those a live runner holds', () => {
    const withoutLease = startRun(project.db)
    const lapsed = startRun(project.db)
    const exited = startRun(project.db)
    const live = startRun(project.db)
    const finished = startRun(project.db)
    const at = new Date(now)
    claimRunLease(project.db, lapsed, newLeaseOwner(), now - 2 * RUN_LEASE_MS)
    claimRunLease(project.db, exited, `${hostname()}#${exitedProcessId()}#token`, now)
    claimRunLease(project.db, live, newLeaseOwner(), now)
    finishRun(project.db, finished, { state: 'done', finishedAt: testTime })

    expect(markInterruptedRuns(project.db, at)).toBe(3)
    for (const runId of [withoutLease, lapsed, exited]) {
      expect(findRun(project.db, runId)).toMatchObject({ state: 'failed', finishedAt: testTime, errorMessage: expect.stringMatching(/resume/) })
      expect(readRunLease(project.db, runId)).toBeNull()
    }
    expect(findRun(project.db, live)?.state).toBe('running')
    expect(findRun(project.db, finished)?.state).toBe('done')
    expect(markInterruptedRuns(project.db, at)).toBe(0)
  })
})
