/**
 * Words the main process and the CLI say to a person, kept as a catalogue key and its
 * values so that each reader can word them in its own language: the renderer through its
 * vue-i18n catalogues (section `server`), the CLI through `wordSaid` in the language that
 * LANG or LC_ALL asks for. The English text still travels as the error's `message`, so a
 * reader that knows no key loses nothing.
 */
import { serverEn } from './server-en'

export type SaidValues = Record<string, string | number>

export interface Said {
  key: ServerMessageKey
  values?: SaidValues
}

/** The dotted keys of a nested catalogue: `files.missing`, `project.notFound`, … */
type LeafKeys<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : LeafKeys<T[K], `${Prefix}${K}.`>
}[keyof T & string]

export type ServerMessageKey = LeafKeys<typeof serverEn>

export type ServerCatalogue = typeof serverEn

function messageAt(catalogue: ServerCatalogue, key: string): unknown {
  let node: unknown = catalogue
  for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part]
  return node
}

/** Whether `value`, read from a file or another process, is a `Said` this catalogue can word. */
export function isSaid(value: unknown): value is Said {
  if (typeof value !== 'object' || value === null) return false
  const { key, values } = value as { key?: unknown; values?: unknown }
  if (typeof key !== 'string' || typeof messageAt(serverEn, key) !== 'string') return false
  if (values === undefined) return true
  return typeof values === 'object' && values !== null && Object.values(values).every((entry) => typeof entry === 'string' || typeof entry === 'number')
}

/** `said` in the words of `catalogue`: its message with every `{name}` filled in. */
export function wordSaid(catalogue: ServerCatalogue, said: Said): string {
  const node = messageAt(catalogue, said.key)
  if (typeof node !== 'string') throw new Error(`no message "${said.key}" in the catalogue`)
  const values = said.values ?? {}
  return node.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole))
}

/** The English words of a message, as errors carry them in `message`. */
export function inEnglish(said: Said): string {
  return wordSaid(serverEn, said)
}
