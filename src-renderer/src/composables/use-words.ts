import { computed, type ComputedRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Words } from '../i18n/words'

/** The window's `Words` for plain wording functions, following a change of language. */
export function useWords(): ComputedRef<Words> {
  const { t, locale } = useI18n()
  return computed<Words>(() => ({ t, locale: locale.value }))
}
