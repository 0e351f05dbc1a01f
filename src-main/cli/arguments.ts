/** Argument parsing shared by the CLI commands: node:util's parseArgs plus checked values. */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './command'

export const PROVIDERS = ['auto', 'cpu', 'cuda'] as const

type OptionsConfig = NonNullable<ParseArgsConfig['options']>
type ParsedCommandLine<T extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: T }>>

/** parseArgs with positionals allowed; its errors (unknown or malformed options) become usage errors. */
export function parseCommandLine<T extends OptionsConfig>(args: string[], options: T): ParsedCommandLine<T> {
  try {
    return parseArgs({ args, allowPositionals: true, options })
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
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
