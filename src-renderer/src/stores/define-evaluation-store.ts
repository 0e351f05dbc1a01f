import type {
  EvaluationImage,
  EvaluationReport,
  EvaluationSelection,
  RunEvaluation,
} from '@shared/api/evaluation-types'
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { useNoticesStore } from './notices'
import type { StoreClient } from './store-client'
import type { PerClassThresholds } from '@shared/api/label-types'
import { saidTextOf, type SaidText } from '../i18n/words'

export const DEFAULT_TARGET_PRECISION = 0.9

/** The run(s) and folder an evaluation and its picks are read for. */
interface EvaluationScope {
  runId: number
  compareRunId?: number
  folder?: string
}

/** The boxes a person picked in a chart, with the images behind them once they have come. */
export interface ChosenBoxes {
  /**
   * What was picked, as the image list's heading says it: worded when called, so the heading
   * follows a change of language while the list is open.
   */
  title: () => string
  /** The run whose boxes these are (the compared run's, for its matrix). */
  runId: number
  selection: EvaluationSelection
  images: EvaluationImage[] | null
  boxes: number
}

/**
 * The evaluation view's state: which run (and compared run, and folder) is scored, the report,
 * and the images behind whatever a person picks in it. The report is marked stale, not
 * re-read, when labels or images change elsewhere: scoring a large project is not free, and
 * the numbers on screen should not move under the reader.
 */
export function defineEvaluationStore(client: StoreClient) {
  return defineStore('evaluation', () => {
    const notices = useNoticesStore()
    /** The run scored; null until the view picks one (the newest run). */
    const runId = ref<number | null>(null)
    const compareRunId = ref<number | null>(null)
    const folder = ref('')
    const targetPrecision = ref(DEFAULT_TARGET_PRECISION)
    const report = shallowRef<EvaluationReport | null>(null)
    const loading = ref(false)
    const error = ref<SaidText | null>(null)
    /** Labels, reviews or results changed since the report was computed. */
    const stale = ref(false)
    const chosen = shallowRef<ChosenBoxes | null>(null)
    let reportVersion = 0
    let chosenVersion = 0
    let stopListening: (() => void) | null = null

    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        // Label thresholds move the operating point, the confusion and the per-class figures.
        if (event.type === 'labels.changed' || event.type === 'images.changed' || event.type === 'classes.changed' || event.type === 'labelThresholds.changed') {
          if (report.value) stale.value = true
        } else if (event.type === 'project.changed') {
          clear()
        }
      })
    }

    function scope(forRun: number | null = runId.value): EvaluationScope | null {
      if (forRun === null) return null
      const other = forRun === runId.value ? compareRunId.value : runId.value
      return { runId: forRun, ...(other === null ? {} : { compareRunId: other }), ...(folder.value === '' ? {} : { folder: folder.value }) }
    }

    async function evaluate(): Promise<void> {
      listen()
      const args = scope()
      if (!args) return
      const version = ++reportVersion
      loading.value = true
      error.value = null
      try {
        const result = await client.call('evaluation.evaluate', { ...args, targetPrecision: targetPrecision.value })
        if (version !== reportVersion) return
        report.value = result
        stale.value = false
        chosen.value = null
      } catch (caught) {
        if (version !== reportVersion) return
        error.value = saidTextOf(caught)
      } finally {
        if (version === reportVersion) loading.value = false
      }
    }

    /** Scores another run (or the same run with another comparison or folder). */
    function choose(next: { runId?: number; compareRunId?: number | null; folder?: string; targetPrecision?: number }): Promise<void> {
      if (next.runId !== undefined) runId.value = next.runId
      if (next.compareRunId !== undefined) compareRunId.value = next.compareRunId === runId.value ? null : next.compareRunId
      if (next.folder !== undefined) folder.value = next.folder
      if (next.targetPrecision !== undefined) targetPrecision.value = next.targetPrecision
      return evaluate()
    }

    /** Lists the images behind a cell, point or bar; the list replaces the previous one. */
    async function pick(title: () => string, selection: EvaluationSelection, forRun: number | null = runId.value): Promise<void> {
      const args = scope(forRun)
      if (!args) return
      const version = ++chosenVersion
      chosen.value = { title, runId: args.runId, selection, images: null, boxes: 0 }
      try {
        const result = await client.call('evaluation.images', { ...args, selection })
        if (version === chosenVersion) chosen.value = { title, runId: args.runId, selection, images: result.images, boxes: result.boxes }
      } catch (caught) {
        if (version !== chosenVersion) return
        chosen.value = null
        notices.report(caught, 'failures.listImages')
      }
    }

    function closeChosen(): void {
      chosenVersion++
      chosen.value = null
    }

    function clear(): void {
      reportVersion++
      chosenVersion++
      runId.value = null
      compareRunId.value = null
      folder.value = ''
      report.value = null
      chosen.value = null
      error.value = null
      stale.value = false
      loading.value = false
    }

    return { runId, compareRunId, folder, targetPrecision, report, loading, error, stale, chosen, evaluate, choose, pick, closeChosen, clear }
  })
}

export type SuggestionKind = 'bestF1' | 'forPrecision'

/**
 * Label thresholds made of a run's per-class suggestions: each class with a suggestion of that
 * kind gets it as its own value; the others keep what they have now (their own value, or the
 * project value). Null when no class has a suggestion of that kind.
 */
export function thresholdsFromSuggestions(
  evaluation: RunEvaluation,
  kind: SuggestionKind,
  current: PerClassThresholds<Readonly<Record<number, number>>>,
): PerClassThresholds<Record<number, number>> | null {
  const perClass: Record<number, number> = { ...current.perClass }
  let suggested = 0
  for (const entry of evaluation.perClass) {
    const point = entry.suggestedThresholds[kind]
    if (!point) continue
    // The API takes thresholds above 0; a suggestion at a score of 0 keeps every detection anyway.
    perClass[entry.classId] = Math.max(0.001, Math.min(1, point.score))
    suggested++
  }
  return suggested === 0 ? null : { score: current.score, perClass }
}
