import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Message } from '../i18n/message'
import { saidTextOf, type Words } from '../i18n/words'

/**
 * A message for the person using the app, mostly a failed API call: what was being done (a
 * key of the catalogue's `failures`) and why. Kept as keys, so it is worded in the window's
 * language when shown, and again if the language changes while it is up.
 */
export interface Notice {
  id: number
  context?: Message
  /** The server's words where it gave a key (`server.…`), else the error's own text. */
  reason: Message | string
}

/** The reason an error gives: its key in the server catalogue where it has one. */
function reasonOf(error: unknown): Message | string {
  const { message, said } = saidTextOf(error)
  return said ? { key: `server.${said.key}`, values: said.values } : message
}

/** A notice as the person reads it: "Could not read the classes: This project has no class with id 3." */
export function wordNotice(notice: Notice, { t }: Words): string {
  const reason = typeof notice.reason === 'string' ? notice.reason : t(notice.reason.key, notice.reason.values)
  return notice.context ? t('failures.withReason', { context: t(notice.context.key, notice.context.values), reason }) : reason
}

/** Messages for the person using the app. They stay until dismissed. */
export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([])
  let nextId = 1

  /** An error, with what was being done when it happened (a key of `failures` and its values). */
  function report(error: unknown, context?: string, values?: Record<string, string | number>): void {
    notices.value = [...notices.value, { id: nextId++, reason: reasonOf(error), ...(context ? { context: { key: context, values } } : {}) }]
  }

  /** A message of the app's own, not an error's (a key of the catalogue and its values). */
  function say(key: string, values?: Record<string, string | number>): void {
    notices.value = [...notices.value, { id: nextId++, reason: { key, values } }]
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((notice) => notice.id !== id)
  }

  function dismissAll(): void {
    notices.value = []
  }

  return { notices, report, say, dismiss, dismissAll }
})
