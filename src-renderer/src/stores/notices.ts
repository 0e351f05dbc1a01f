import { defineStore } from 'pinia'
import { ref } from 'vue'

export interface Notice {
  id: number
  message: string
}

/** Messages for the person using the app, mostly failed API calls. They stay until dismissed. */
export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([])
  let nextId = 1

  function report(error: unknown, context?: string): void {
    const reason = error instanceof Error ? error.message : String(error)
    const message = context ? `${context}: ${reason}` : reason
    notices.value = [...notices.value, { id: nextId++, message }]
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id)
  }

  function dismissAll(): void {
    notices.value = []
  }

  return { notices, report, dismiss, dismissAll }
})
