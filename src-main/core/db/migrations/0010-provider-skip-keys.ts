import type { Migration } from './migration'

/**
 * `runs.provider_skipped_said`: why each faster provider was not used, as keys of the server
 * catalogue (a JSON array beside `provider_fallback_reason`, in the same order), so a window in
 * another language words a run's "why not the GPU?" in it. Older runs keep their English reasons.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'provider skip keys',
  up(db) {
    db.exec('ALTER TABLE runs ADD COLUMN provider_skipped_said TEXT')
  },
}
