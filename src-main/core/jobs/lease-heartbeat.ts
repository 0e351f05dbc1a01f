import type { SqliteDatabase } from '../db/connection'
import { RUN_LEASE_RENEW_MS, renewRunLease } from '../db/run-lease'

export interface LeaseHeartbeat {
  /** True once the renewal found another runner holding the run (ours had lapsed). */
  readonly lost: boolean
  stop(): void
}

/** Renews a run's lease (see run-lease.ts) while its runner works. */
export function keepRunLease(db: SqliteDatabase, runId: number, owner: string, everyMs = RUN_LEASE_RENEW_MS): LeaseHeartbeat {
  let lost = false
  const timer = setInterval(() => {
    try {
      if (!renewRunLease(db, runId, owner)) lost = true
    } catch {
      // A database busy for longer than its timeout: the lease outlives a few missed renewals.
    }
  }, everyMs)
  // The heartbeat alone must not keep a finished CLI process alive.
  timer.unref()
  return {
    get lost() {
      return lost
    },
    stop: () => clearInterval(timer),
  }
}
