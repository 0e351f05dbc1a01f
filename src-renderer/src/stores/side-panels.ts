import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { loadSidePanelsFolded, saveSidePanelsFolded } from '../viewer/saved-side-panels'

/**
 * Whether the image view's object list and class panel are folded away to give the canvas
 * the window's width; remembered across reloads (viewer/saved-side-panels.ts).
 */
export const useSidePanelsStore = defineStore('side-panels', () => {
  const saved = loadSidePanelsFolded()
  const objectListFolded = ref(saved.objectList)
  const classPanelFolded = ref(saved.classPanel)

  watch([objectListFolded, classPanelFolded], ([objectList, classPanel]) => saveSidePanelsFolded({ objectList, classPanel }))

  /** One key for both: folds them while either is shown, and shows both once both are folded. */
  function toggleBoth(): void {
    const fold = !(objectListFolded.value && classPanelFolded.value)
    objectListFolded.value = fold
    classPanelFolded.value = fold
  }

  return { objectListFolded, classPanelFolded, toggleBoth }
})
