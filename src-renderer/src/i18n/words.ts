/**
 * What a plain function needs to speak the window's language: vue-i18n's `t` and the
 * language's tag for numbers. Components pass `{ t, locale }` from useI18n(); tests build one
 * from the catalogues.
 */
export interface Words {
  t(key: string, values?: Record<string, unknown>, plural?: number): string
  locale: string
}

/** A count in the language's digits and grouping: "5,000", "5,000" (zh-CN), "5 000" (fr). */
export function formatCount(value: number, { locale }: Words): string {
  return value.toLocaleString(locale)
}

/** What the main process said: its English text, and where it gave one, the key and values to word it otherwise. */
export interface SaidText {
  message: string
  said?: { key: string; values?: Record<string, string | number> }
}

/** What a failed call said, kept to be worded where it is shown (`wordSaid`). */
export function saidTextOf(failure: unknown): SaidText {
  const message = failure instanceof Error ? failure.message : String(failure)
  const said = (failure as { said?: SaidText['said'] } | null)?.said
  return said && typeof said.key === 'string' ? { message, said } : { message }
}

/** What the main process said: its key's words in the window's language where it gave one, else its English text. */
export function wordSaid(entry: SaidText, { t }: Words): string {
  return entry.said ? t(`server.${entry.said.key}`, entry.said.values ?? {}) : entry.message
}
