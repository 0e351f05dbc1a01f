import type { RunSummary } from '@shared/api/types'

/** Two runs the evaluation view can score side by side: a run and the one it is set against. */
export interface RunComparison {
  runId: number
  previousRunId: number
}

/**
 * What the runs panel offers to compare once a run with another model has ended (a model this
 * project trained, say): the newest run, when it is done, against the newest earlier finished
 * run of a different model. Two runs of one model score alike, so they are not offered.
 * `runs` is newest first, as the runs store keeps it.
 */
export function runComparisonOffer(runs: readonly RunSummary[]): RunComparison | null {
  const newest = runs[0]
  if (!newest || newest.state !== 'done') return null
  const previous = runs.find((run) => run.id < newest.id && run.state === 'done' && run.modelPath !== newest.modelPath)
  return previous ? { runId: newest.id, previousRunId: previous.id } : null
}
