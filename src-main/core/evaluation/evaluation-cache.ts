/**
 * The last scored scope, kept while the project's data is unchanged, so that following cells
 * and bars of an evaluation does not score the run again each time. One entry: a person looks
 * at one evaluation at a time. It is dropped as soon as the data stamp moves (an edit, a
 * review or a run writing results) or another connection (another project) is asked. Two runs
 * compared either way round are the same entry: the view asks with the runs swapped for the
 * images behind the compared run's figures.
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
  reports: Map<string, EvaluationReport>
}

/** The same two runs the other way round. */
function swapped(scored: ScoredScope): ScoredScope {
  if (scored.comparison === null) return scored
  return { ...scored, runId: scored.comparison.run.id, compareRunId: scored.runId, primary: scored.comparison, comparison: scored.primary }
}

export class EvaluationCache {
  private entry: Entry | undefined
  /** How many times a scope was scored (not served from the cache); for tests. */
  scorings = 0

  scored(db: SqliteDatabase, scope: EvaluationScope): ScoredScope {
    const { entry, reversed } = this.entryFor(db, scope)
    return reversed ? swapped(entry.scored) : entry.scored
  }

  report(db: SqliteDatabase, scope: EvaluationScope, targetPrecision: number): EvaluationReport {
    const { entry, reversed } = this.entryFor(db, scope)
    const key = `${reversed}:${targetPrecision}`
    let report = entry.reports.get(key)
    if (report === undefined) {
      report = buildEvaluationReport(db, reversed ? swapped(entry.scored) : entry.scored, targetPrecision)
      if (entry.reports.size >= 4) entry.reports.clear() // a few targets, not every one ever asked
      entry.reports.set(key, report)
    }
    return report
  }

  private entryFor(db: SqliteDatabase, scope: EvaluationScope): { entry: Entry; reversed: boolean } {
    const folder = checkedFolder(scope.folder)
    const runs = scope.compareRunId === undefined ? [scope.runId] : [scope.runId, scope.compareRunId].sort((a, b) => a - b)
    const key = JSON.stringify([runs, folder])
    // Read before scoring: a commit landing while the scope is scored moves the stamp for next time.
    const stamp = readDataStamp(db)
    const entry = this.entry
    if (entry && entry.db === db && entry.key === key && entry.stamp === stamp) return { entry, reversed: entry.scored.runId !== scope.runId }
    this.entry = undefined
    const scored = scoreScope(db, scope)
    this.scorings++
    this.entry = { db, key, stamp, scored, reports: new Map() }
    return { entry: this.entry, reversed: false }
  }
}
