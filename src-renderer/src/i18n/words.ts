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
