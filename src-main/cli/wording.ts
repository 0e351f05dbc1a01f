/** Small pieces of CLI wording shared by the commands. */
import { PROVIDER_TITLES } from '../../src-shared/api/types'
import type { ProviderRequest, ProviderUsed, RunSkippedProvider } from '../core/db/runs-repository'
import { environmentWords, type CliWords } from './cli-language'

/** `1 image`, `2 images`, `0 images`. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`
}

/** A file system error in words ("does not exist"), not an errno code. */
export function describeFileError(error: unknown): string {
  switch ((error as { code?: unknown }).code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return 'it does not exist'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ELOOP':
      return 'too many symbolic links'
    case 'EIO':
      return 'a disk input/output error'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

/** What ran a model: the engine's ProviderReport, or a run record's provider fields. */
export interface ProviderFacts {
  used: ProviderUsed
  /** "NVIDIA H200 through Vulkan", "CPU"; null when unknown (runs recorded before it was kept). */
  device: string | null
  skipped: readonly RunSkippedProvider[]
  requested?: ProviderRequest
}

/**
 * The provider, its device and why each faster one was not used: "WebGPU (NVIDIA H200 through
 * Vulkan)", "CPU (CUDA not used: …; WebGPU not used: …)", "CPU (as requested)"; in the
 * language the environment asks for (the device stays as the runtime names it).
 */
export function describeProvider(facts: ProviderFacts, words: CliWords = environmentWords()): string {
  const parts = facts.used === 'cpu' || facts.device === null ? [] : [facts.device]
  for (const skipped of facts.skipped) parts.push(words.say('cli.notUsed', { provider: PROVIDER_TITLES[skipped.provider], reason: words.text({ message: skipped.reason, said: skipped.said }) }))
  if (parts.length === 0 && facts.requested === 'cpu') parts.push(words.say('cli.asRequested'))
  return parts.length === 0 ? PROVIDER_TITLES[facts.used] : words.say('cli.providerWith', { provider: PROVIDER_TITLES[facts.used], details: parts.join(words.say('cli.separator')) })
}

/** The same in a few words, for lists: "WebGPU (NVIDIA H200 through Vulkan)", "CPU (CUDA and WebGPU not used)". */
export function describeProviderBriefly(facts: ProviderFacts): string {
  const title = PROVIDER_TITLES[facts.used]
  if (facts.used !== 'cpu' && facts.device !== null) return `${title} (${facts.device})`
  if (facts.skipped.length === 0) return title
  return `${title} (${facts.skipped.map(({ provider }) => PROVIDER_TITLES[provider]).join(' and ')} not used)`
}
