import type { Migration } from './migration'

/**
 * Who is processing a running run: `lease_owner` names the runner (host, process id and a
 * random token), `lease_expires_at` (milliseconds since the epoch) is when the claim lapses
 * unless the runner renews it. Both are NULL when no runner holds the run. See run-lease.ts.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'run lease',
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN lease_owner TEXT;
      ALTER TABLE runs ADD COLUMN lease_expires_at INTEGER;
    `)
  },
}
