/**
 * Turns validation issues into messages a person editing the JSON can act on: the field path as
 * written in the file, what is allowed, and what was found.
 */
import type { z } from 'zod'

export class ModelConfigError extends Error {
  readonly problems: string[]

  constructor(source: string, problems: string[]) {
    super(`${source}: invalid model config\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ModelConfigError'
    this.problems = problems
  }
}

/** `input.resize.mode`, `classes[3]`, `anchors.sizes[0][1]`; the whole file is `(root)`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let text = ''
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`
    else text += text === '' ? String(key) : `.${String(key)}`
  }
  return text === '' ? '(root)' : text
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`
  if (value !== null && typeof value === 'object') return 'an object'
  return String(value)
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return value
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string }, below: boolean): string {
  const limit = String(below ? issue.minimum : issue.maximum)
  if (issue.origin === 'array') return below ? `at least ${limit} entries` : `at most ${limit} entries`
  if (issue.origin === 'string') return below ? 'a non-empty text' : `at most ${limit} characters`
  const op = below ? (issue.inclusive ? '≥' : '>') : issue.inclusive ? '≤' : '<'
  return `a number ${op} ${limit}`
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a text',
  object: 'an object',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list of numbers',
  null: 'null',
}

const UNION_HINTS: Array<[RegExp, string]> = [[/^classes\[\d+\]$/, 'a class name, {"name": ..., "id": ...} or null']]

/** One line per issue, each naming the field path, the allowed values and what the file has. */
export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, root: unknown): string[] {
  return issues.map((issue) => {
    const where = formatPath(issue.path)
    const found = describeValue(valueAt(root, issue.path))
    switch (issue.code) {
      case 'invalid_value': {
        const allowed = `one of ${issue.values.map(String).join(', ')}`
        return found === 'nothing' ? `${where}: missing (expected ${allowed})` : `${where}: expected ${allowed}; got ${found}`
      }
      case 'invalid_union': {
        if ('options' in issue && Array.isArray(issue.options)) {
          return `${where}: expected one of ${issue.options.map(String).join(', ')}; got ${found}`
        }
        const hint = UNION_HINTS.find(([pattern]) => pattern.test(where))?.[1] ?? 'a different value'
        return `${where}: expected ${hint}; got ${found}`
      }
      case 'invalid_type': {
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected
        return found === 'nothing' ? `${where}: missing (expected ${expected})` : `${where}: expected ${expected}; got ${found}`
      }
      case 'too_small':
        return `${where}: expected ${bound(issue, true)}; got ${found}`
      case 'too_big':
        return `${where}: expected ${bound(issue, false)}; got ${found}`
      case 'unrecognized_keys':
        return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
      default:
        return `${where}: ${issue.message}`
    }
  })
}
