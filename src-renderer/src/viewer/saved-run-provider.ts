/**
 * The execution provider a person chose for detection runs, remembered in the browser's
 * storage for every project: a machine's GPU does not change from one project to the next.
 * Storage can be unavailable or hold anything: reading never throws and falls back to `auto`.
 */
import type { ProviderRequest } from '@shared/api/types'

const KEY = 'rw.run-provider'
export const RUN_PROVIDERS: readonly ProviderRequest[] = ['auto', 'webgpu', 'cuda', 'cpu']

interface KeyValueStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

function storage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage
}

export function loadRunProvider(): ProviderRequest {
  try {
    const saved = storage()?.getItem(KEY)
    return RUN_PROVIDERS.find((provider) => provider === saved) ?? 'auto'
  } catch {
    return 'auto'
  }
}

export function saveRunProvider(provider: ProviderRequest): void {
  try {
    storage()?.setItem(KEY, provider)
  } catch {
    // Full or forbidden storage: the choice lasts until the page reloads.
  }
}
