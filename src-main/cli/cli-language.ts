/**
 * The CLI speaks English unless the environment asks for Chinese, the way POSIX programs
 * choose their messages: LC_ALL, then LC_MESSAGES, then LANG; the first one set decides
 * (`zh_CN.UTF-8`, `zh_TW`, `zh` → Simplified Chinese, the only Chinese catalogue). It words
 * errors that carry a key with the server catalogue the renderer uses too.
 */
import { isSaid, type Said, type SaidValues, type ServerCatalogue, type ServerMessageKey, wordSaid } from '../../src-shared/messages/said'
import { serverEn } from '../../src-shared/messages/server-en'
import { serverZhCN } from '../../src-shared/messages/server-zh-CN'

export type CliLanguage = 'en' | 'zh-CN'

export function cliLanguage(env: Readonly<Record<string, string | undefined>>): CliLanguage {
  const chosen = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '')
  return chosen !== undefined && /^zh([_.@-]|$)/i.test(chosen) ? 'zh-CN' : 'en'
}

const CATALOGUES: Record<CliLanguage, ServerCatalogue> = { en: serverEn, 'zh-CN': serverZhCN }

export interface CliWords {
  /** One message of the server catalogue in the CLI's language. */
  say(key: ServerMessageKey, values?: SaidValues): string
  /** An error's message: its key's words where it has one, else its own (English) text. */
  errorText(error: unknown): string
  /** A reported item (an import problem): its key's words where it has one, else its English `message`. */
  text(entry: { message: string; said?: Said }): string
}

/** The words of the language this process's environment asks for. */
export function environmentWords(): CliWords {
  return cliWords(cliLanguage(process.env))
}

export function cliWords(language: CliLanguage): CliWords {
  const catalogue = CATALOGUES[language]
  return {
    say: (key, values) => wordSaid(catalogue, values ? { key, values } : { key }),
    // A key this catalogue does not have (from an older or newer project file) falls back to the English text.
    errorText(error) {
      const said: unknown = (error as { said?: unknown } | null)?.said
      if (isSaid(said)) return wordSaid(catalogue, said)
      return error instanceof Error ? error.message : String(error)
    },
    text: (entry) => (isSaid(entry.said) ? wordSaid(catalogue, entry.said) : entry.message),
  }
}
