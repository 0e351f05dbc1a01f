/** Argument parsing shared by the CLI commands: node:util's parseArgs plus checked values. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './command'

export const PROVIDERS = ['auto', 'cpu', 'cuda', 'webgpu'] as const

type OptionsConfig = NonNullable<ParseArgsConfig['options']>
type ParsedCommandLine<T extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: T }>>

/**
 * parseArgs with positionals allowed; its errors (unknown or malformed options) become usage
 * errors in our words, with the closest known option for a typo, not Node's parser text.
 */
export function parseCommandLine<T extends OptionsConfig>(args: string[], options: T): ParsedCommandLine<T> {
  try {
    return parseArgs({ args, allowPositionals: true, options })
  } catch (error) {
    throw new UsageError(describeParseError(error, options))
  }
}

function describeParseError(error: unknown, options: OptionsConfig): string {
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown }).code
  const flag = /'(-[^'\s]*)/.exec(message)?.[1]?.split('=')[0]
  if (flag === undefined) return message
  const name = flag.replace(/^-+/, '')
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const suggestion = closestOption(name, Object.keys(options))
    return `unknown option ${flag}${suggestion ? `; did you mean --${suggestion}?` : ''}`
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = options[name]
    return option?.type === 'boolean' ? `--${name} takes no value` : `--${name} needs a value`
  }
  return message
}

/** The known option within two edits of what was typed, if there is exactly one best. */
function closestOption(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of known) {
    const distance = editDistance(typed, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * `--score`, the same for every command: the detector keeps detections scoring at least this,
 * and refuses 1 (nothing could pass it).
 */
export function optionalScore(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value >= 1) {
    throw new UsageError(`--score must be a number from 0 up to, but not including, 1 (got "${text}")`)
  }
  return value
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T {
  if (allowed.includes(value as T)) return value as T
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`)
}

export function numberIn(flag: string, text: string, low: number, high: number, integer: boolean): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value) || value < low || value > high || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${low} to ${high} (got "${text}")`)
  }
  return value
}

/** numberIn for an option that may be absent. */
export function optionalNumberIn(flag: string, text: string | undefined, low: number, high: number, integer: boolean): number | undefined {
  return text === undefined ? undefined : numberIn(flag, text, low, high, integer)
}
