import type { ProjectClass } from '@shared/api/types'
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '../api'
import { useNoticesStore } from './notices'

/** Drawn for a class id the list does not (yet) know, e.g. between a run's first results and the next refresh. */
export const UNKNOWN_CLASS_COLOR = '#9aa0a6'

/** The open project's classes, with their colours and detection counts. */
export const useClassesStore = defineStore('classes', () => {
  const notices = useNoticesStore()
  const classes = ref<ProjectClass[]>([])
  const byId = computed(() => new Map(classes.value.map((projectClass) => [projectClass.id, projectClass])))

  async function refresh(): Promise<void> {
    try {
      const list = await api.call('classes.list', {})
      classes.value = [...list].sort((a, b) => a.order - b.order)
    } catch (error) {
      notices.report(error, 'Could not read the classes')
    }
  }

  function colorOf(classId: number): string {
    return byId.value.get(classId)?.color ?? UNKNOWN_CLASS_COLOR
  }

  function nameOf(classId: number): string {
    return byId.value.get(classId)?.name ?? `class ${classId}`
  }

  return { classes, byId, refresh, colorOf, nameOf }
})
