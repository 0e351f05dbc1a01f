import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { BoxVisibility } from '../viewer/box-visibility'

/** Where the global slider starts: low enough to show what the model found, high enough to skip noise. */
export const DEFAULT_SCORE_THRESHOLD = 0.3

/**
 * The thresholds and hidden classes of the image view, as plain data. They only filter what
 * is drawn; nothing is rerun or written to the project.
 */
export const useBoxVisibilityStore = defineStore('box-visibility', () => {
  const scoreThreshold = ref(DEFAULT_SCORE_THRESHOLD)
  const classThresholds = ref<Record<number, number>>({})
  const hiddenClassIds = ref<number[]>([])
  /** Class-and-score labels; off when many overlapping boxes make them unreadable. */
  const showLabels = ref(true)

  const visibility = computed<BoxVisibility>(() => ({
    scoreThreshold: scoreThreshold.value,
    classThresholds: classThresholds.value,
    hiddenClassIds: hiddenClassIds.value,
  }))

  function setScoreThreshold(value: number): void {
    scoreThreshold.value = clampScore(value)
  }

  function setClassThreshold(classId: number, value: number): void {
    classThresholds.value = { ...classThresholds.value, [classId]: clampScore(value) }
  }

  function classThreshold(classId: number): number {
    return classThresholds.value[classId] ?? 0
  }

  function setClassHidden(classId: number, hidden: boolean): void {
    const others = hiddenClassIds.value.filter((id) => id !== classId)
    hiddenClassIds.value = hidden ? [...others, classId] : others
  }

  function isClassHidden(classId: number): boolean {
    return hiddenClassIds.value.includes(classId)
  }

  function resetAll(): void {
    scoreThreshold.value = DEFAULT_SCORE_THRESHOLD
    classThresholds.value = {}
    hiddenClassIds.value = []
  }

  return {
    scoreThreshold,
    classThresholds,
    hiddenClassIds,
    showLabels,
    visibility,
    setScoreThreshold,
    setClassThreshold,
    classThreshold,
    setClassHidden,
    isClassHidden,
    resetAll,
  }
})

function clampScore(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0
}
