/**
 * One runner at a time per detection run. A runner is a CLI process or the app's detection
 * worker, and both may have the same project file open (a labeler opens the app while a batch
 * job runs), so the project file itself says who is processing a run: the runner claims a
 * lease on it, renews the lease while it works and gives it up when it stops. A lease that
 * lapsed, or whose process on this machine is gone, was left by a runner that crashed.
 */
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { AppError } from '../errors'
import type { SqliteDatabase } from './connection'
import { requireRun } from './runs-repository'

/** How long a claim holds without renewal: long enough for one slow image on a busy machine. */
export const RUN_LEASE_MS = 60_000
/** How often a working runner renews its claim. */
export const RUN_LEASE_RENEW_MS = 10_000

export interface RunLease {
  /** `<host>#<process id>#<random token>`: unique per runner, and says where it runs. */
  owner: string
  /** Milliseconds since the epoch. */
  expiresAt: number
}

export function newLeaseOwner(): string {
  return `${hostname()}#${process.pid}#${randomUUID()}`
}

/** True while the runner holding `lease` may still be working. */
export function isLeaseLive(lease: RunLease | null, now: number): boolean {
  if (!lease || lease.expiresAt <= now) return false
  const { host, pid } = describeOwner(lease.owner)
  // A process on this machine can be asked directly, so a crash frees its runs at once.
  return host === hostname() && pid !== null ? processExists(pid) : true
}

function describeOwner(owner: string): { host: string; pid: number | null } {
  const [host = '', pid = ''] = owner.split('#')
  return { host, pid: /^\d+$/.test(pid) ? Number(pid) : null }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

interface LeaseColumns {
  lease_owner: string | null
  lease_expires_at: number | null
}

function toLease(row: LeaseColumns): RunLease | null {
  return row.lease_owner === null || row.lease_expires_at === null ? null : { owner: row.lease_owner, expiresAt: row.lease_expires_at }
}

export function readRunLease(db: SqliteDatabase, runId: number): RunLease | null {
  const row = db.prepare('SELECT lease_owner, lease_expires_at FROM runs WHERE id = ?').get(runId) as LeaseColumns | undefined
  return row ? toLease(row) : null
}

/**
 * Claims the run for `owner`, or refuses with a conflict while another runner holds a live
 * lease on it. The check and the claim are one write transaction, so two runners racing for
 * the same run cannot both win.
 */
export function claimRunLease(db: SqliteDatabase, runId: number, owner: string, now = Date.now()): void {
  db.transaction(() => {
    requireRun(db, runId)
    const held = readRunLease(db, runId)
    if (held && held.owner !== owner && isLeaseLive(held, now)) {
      const { host, pid } = describeOwner(held.owner)
      const where = host === hostname() ? `process ${pid ?? '?'}` : `process ${pid ?? '?'} on ${host}`
      throw new AppError(
        'conflict',
        `Detection run ${runId} is being processed by another window or command (${where}); let it finish or stop it there.`,
      )
    }
    db.prepare('UPDATE runs SET lease_owner = ?, lease_expires_at = ? WHERE id = ?').run(owner, now + RUN_LEASE_MS, runId)
  }).immediate()
}

/** Extends the claim; false when `owner` no longer holds the run (another runner took it over). */
export function renewRunLease(db: SqliteDatabase, runId: number, owner: string, now = Date.now()): boolean {
  return db.prepare('UPDATE runs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?').run(now + RUN_LEASE_MS, runId, owner).changes === 1
}

/** Gives the run up, if `owner` still holds it. */
export function releaseRunLease(db: SqliteDatabase, runId: number, owner: string): void {
  db.prepare('UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?').run(runId, owner)
}

/**
 * Runs still marked `running` whose runner is gone (the app or a CLI process quit or crashed)
 * become `failed`, with a message saying they can be resumed. Runs another live runner is
 * processing are left alone. Returns how many were marked.
 */
export function markInterruptedRuns(db: SqliteDatabase, now: Date = new Date()): number {
  return db.transaction(() => {
    const running = db.prepare(`SELECT id, lease_owner, lease_expires_at FROM runs WHERE state = 'running'`).all() as Array<
      LeaseColumns & { id: number }
    >
    const markFailed = db.prepare(
      `UPDATE runs SET state = 'failed', finished_at = ?, lease_owner = NULL, lease_expires_at = NULL,
         error_message = 'The run was interrupted before it finished; resume it to process the remaining images.'
       WHERE id = ? AND state = 'running'`,
    )
    let marked = 0
    for (const run of running) {
      if (!isLeaseLive(toLease(run), now.getTime())) marked += markFailed.run(now.toISOString(), run.id).changes
    }
    return marked
  }).immediate()
}
