/**
 * The last scored scope, kept while the project's data is unchanged, so that following cells
 * and bars of an evaluation does not score the run again each time. One entry: a person looks
 * at one evaluation at a time. It is dropped as soon as the data stamp moves (an edit, a
 * review or a run writing results) or another connection (another project) is asked.
 */
import type { EvaluationReport } from '../../../src-shared/api/evaluation-types'
import type { SqliteDatabase } from '../db/connection'
import { readDataStamp } from '../db/evaluation-query'
import { buildEvaluationReport } from './evaluation-report'
import { checkedFolder, scoreScope, type EvaluationScope, type ScoredScope } from './scope-scoring'

interface Entry {
  db: SqliteDatabase
  key: string
  stamp: string
  scored: ScoredScope
  reports: Map<number, EvaluationReport>
}

export class EvaluationCache {
  private entry: Entry | undefined
  /** How many times a scope was scored (not served from the cache); for tests. */
  scorings = 0

  scored(db: SqliteDatabase, scope: EvaluationScope): ScoredScope {
    return this.entryFor(db, scope).scored
  }

  report(db: SqliteDatabase, scope: EvaluationScope, targetPrecision: number): EvaluationReport {
    const entry = this.entryFor(db, scope)
    let report = entry.reports.get(targetPrecision)
    if (report === undefined) {
      report = buildEvaluationReport(db, entry.scored, targetPrecision)
      if (entry.reports.size >= 4) entry.reports.clear() // a few targets, not every one ever asked
      entry.reports.set(targetPrecision, report)
    }
    return report
  }

  private entryFor(db: SqliteDatabase, scope: EvaluationScope): Entry {
    const key = JSON.stringify([scope.runId, scope.compareRunId ?? null, checkedFolder(scope.folder)])
    // Read before scoring: a commit landing while the scope is scored moves the stamp for next time.
    const stamp = readDataStamp(db)
    const entry = this.entry
    if (entry && entry.db === db && entry.key === key && entry.stamp === stamp) return entry
    this.entry = undefined
    const scored = scoreScope(db, scope)
    this.scorings++
    this.entry = { db, key, stamp, scored, reports: new Map() }
    return this.entry
  }
}
