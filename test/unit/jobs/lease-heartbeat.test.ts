import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { claimRunLease, newLeaseOwner, readRunLease } from '../../../src-main/core/db/run-lease'
import { keepRunLease } from '../../../src-main/core/jobs/lease-heartbeat'
import { createTemporaryProject, startRun, type TemporaryProject } from '../db/project-database-fixture'

let project: TemporaryProject

beforeEach(async () => {
  project = await createTemporaryProject('rw-heartbeat-')
})

afterEach(async () => {
  await project.dispose()
})

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 200) throw new Error('the condition did not hold within 2 s')
    await sleep(10)
  }
}

describe('lease heartbeat', () => {
  it('keeps pushing the lease forward while the runner works', async () => {
    const runId = startRun(project.db)
    const owner = newLeaseOwner()
    const claimedAt = Date.now() - 30_000
    claimRunLease(project.db, runId, owner, claimedAt)
    const heartbeat = keepRunLease(project.db, runId, owner, 5)
    try {
      await waitUntil(() => readRunLease(project.db, runId)!.expiresAt > claimedAt + 30_000)
      expect(heartbeat.lost).toBe(false)
    } finally {
      heartbeat.stop()
    }
    const stoppedAt = readRunLease(project.db, runId)!.expiresAt
    await sleep(30)
    expect(readRunLease(project.db, runId)!.expiresAt).toBe(stoppedAt)
  })

  it('reports the run lost once another runner took over a lapsed lease', async () => {
    const runId = startRun(project.db)
    const owner = newLeaseOwner()
    claimRunLease(project.db, runId, owner, Date.now() - 120_000)
    const successor = newLeaseOwner()
    claimRunLease(project.db, runId, successor)
    const heartbeat = keepRunLease(project.db, runId, owner, 5)
    try {
      await waitUntil(() => heartbeat.lost)
      expect(readRunLease(project.db, runId)?.owner).toBe(successor)
    } finally {
      heartbeat.stop()
    }
  })
})
