import type { LabelThresholds, LabelThresholdsOutcome } from '@shared/api/label-types'
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { useNoticesStore } from './notices'
import { isRunEventOfAnotherProject, type ShownProjectFile } from './run-event-project'
import type { StoreClient } from './store-client'
import { formatCount, type Words } from '../i18n/words'

/** A per-class value as the editor of the thresholds holds it; absent classes use the project value. */
export type PerClassScores = Readonly<Record<number, number>>

/**
 * The project's label threshold: when a run processes an image no person has touched, its
 * labels become the detections scoring at least this (per class where a class has its own
 * value). Changing it re-derives the labels of untouched images on the main side; the
 * outcome says what changed. Not the viewer's suggestion threshold (box-visibility.ts) and
 * not the model's decode cutoff.
 */
export function defineLabelThresholdsStore(client: StoreClient, shownProjectFile?: ShownProjectFile) {
  return defineStore('label-thresholds', () => {
    const notices = useNoticesStore()
    const thresholds = shallowRef<LabelThresholds | null>(null)
    /** What the last change did; null until one is applied here (and after a project change). */
    const lastOutcome = shallowRef<LabelThresholdsOutcome | null>(null)
    const busy = ref(false)
    /** The project uses the model config's values (no value of its own differs from them). */
    const usesModelDefault = computed(() => (thresholds.value ? sameThresholds(thresholds.value) : true))
    let loadVersion = 0

    let stopListening: (() => void) | null = null

    /**
     * Another window (or an evaluation's suggestions) set the thresholds: show the new values. A
     * run that starts brings its model's operating point, the new model default: read it again.
     */
    function listen(): void {
      stopListening ??= client.subscribe((event) => {
        if (isRunEventOfAnotherProject(event, shownProjectFile)) return
        if (event.type === 'run.started') {
          void refresh()
          return
        }
        if (event.type !== 'labelThresholds.changed') return
        loadVersion++
        thresholds.value = event.thresholds
      })
    }

    async function refresh(): Promise<void> {
      listen()
      const version = ++loadVersion
      try {
        const read = await client.call('labelThresholds.get', {})
        if (version === loadVersion) thresholds.value = read
      } catch (error) {
        notices.report(error, 'failures.readLabelThreshold')
      }
    }

    /** Forgets the previous project's values and outcome (another project opened). */
    function clear(): void {
      loadVersion++
      thresholds.value = null
      lastOutcome.value = null
    }

    async function apply(score: number, perClass: PerClassScores = {}): Promise<LabelThresholdsOutcome | null> {
      if (busy.value) return null
      busy.value = true
      try {
        const outcome = await client.call('labelThresholds.set', { score, perClass: perClassArgument(perClass) })
        loadVersion++
        thresholds.value = outcome.thresholds
        lastOutcome.value = outcome
        return outcome
      } catch (error) {
        notices.report(error, 'failures.changeLabelThreshold')
        return null
      } finally {
        busy.value = false
      }
    }

    /** Back to the model config's calibrated operating point, per-class values included. */
    function resetToModelDefault(): Promise<LabelThresholdsOutcome | null> {
      const model = thresholds.value?.modelDefault
      return model ? apply(model.score, model.perClass) : Promise.resolve(null)
    }

    return { thresholds, lastOutcome, busy, usesModelDefault, refresh, clear, apply, resetToModelDefault }
  })
}

/** JSON keys are strings: the API takes class ids as decimal strings. */
export function perClassArgument(perClass: PerClassScores): Record<string, number> {
  return Object.fromEntries(Object.entries(perClass).map(([classId, score]) => [String(Number(classId)), score]))
}

function sameThresholds(thresholds: LabelThresholds): boolean {
  const model = thresholds.modelDefault
  if (thresholds.score !== model.score) return false
  const own = Object.entries(thresholds.perClass)
  const modelEntries = Object.entries(model.perClass)
  return own.length === modelEntries.length && own.every(([classId, score]) => model.perClass[Number(classId)] === score)
}

/** "12 images changed: 340 → 295 labels; images a person touched were not changed". */
export function describeThresholdOutcome(outcome: LabelThresholdsOutcome, words: Words): string {
  const { t } = words
  if (outcome.imagesChanged === 0) return t('labelThreshold.outcomeNone')
  const images = t('labelThreshold.imagesChanged', { n: formatCount(outcome.imagesChanged, words) }, outcome.imagesChanged)
  const labels = t('labelThreshold.labelsChange', { before: formatCount(outcome.labelsBefore, words), after: formatCount(outcome.labelsAfter, words) }, outcome.labelsAfter)
  return t('labelThreshold.outcome', { images, labels })
}

/** A threshold as a person reads it: two decimals. */
export function formatThreshold(score: number): string {
  return score.toFixed(2)
}

/**
 * A threshold from a form field (text, or the number Vue's v-model makes of a number field):
 * a number above 0 and at most 1, as the API accepts; null for anything else.
 */
export function parseThresholdInput(input: string | number): number | null {
  const text = String(input).trim()
  const value = Number(text)
  return text !== '' && Number.isFinite(value) && value > 0 && value <= 1 ? value : null
}
