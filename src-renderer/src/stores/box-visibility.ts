import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { BoxVisibility } from '../viewer/box-visibility'
import { useProjectStore } from './project'
import { loadBoxVisibility, saveBoxVisibility } from '../viewer/saved-box-visibility'

/** Where the global slider starts: low enough to show what the model found, high enough to skip noise. */
export const DEFAULT_SUGGESTION_THRESHOLD = 0.3

/**
 * The thresholds and hidden classes of the image view, as plain data. They only filter what
 * is drawn; nothing is rerun or written to the project file. Each project's settings are
 * remembered in the browser's storage (viewer/saved-box-visibility.ts).
 */
export const useBoxVisibilityStore = defineStore('box-visibility', () => {
  const suggestionThreshold = ref(DEFAULT_SUGGESTION_THRESHOLD)
  const classThresholds = ref<Record<number, number>>({})
  const hiddenClassIds = ref<number[]>([])
  /** Class-and-score labels; off when many overlapping boxes make them unreadable. */
  const showLabels = ref(true)

  const visibility = computed<BoxVisibility>(() => ({
    suggestionThreshold: suggestionThreshold.value,
    classThresholds: classThresholds.value,
    hiddenClassIds: hiddenClassIds.value,
  }))

  function setScoreThreshold(value: number): void {
    suggestionThreshold.value = clampScore(value)
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
    suggestionThreshold.value = DEFAULT_SUGGESTION_THRESHOLD
    classThresholds.value = {}
    hiddenClassIds.value = []
  }

  const project = useProjectStore()
  const projectFile = computed(() => project.current?.file ?? null)
  watch(
    projectFile,
    (file) => {
      resetAll()
      showLabels.value = true
      if (file === null) return
      const saved = loadBoxVisibility(file)
      if (saved.suggestionThreshold !== undefined) suggestionThreshold.value = saved.suggestionThreshold
      if (saved.classThresholds) classThresholds.value = { ...saved.classThresholds }
      if (saved.hiddenClassIds) hiddenClassIds.value = [...saved.hiddenClassIds]
      if (saved.showLabels !== undefined) showLabels.value = saved.showLabels
    },
    { immediate: true },
  )
  watch([visibility, showLabels], ([current, labels]) => {
    if (projectFile.value !== null) saveBoxVisibility(projectFile.value, { ...current, showLabels: labels })
  })

  return {
    suggestionThreshold,
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
