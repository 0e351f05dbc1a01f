import { PROVIDER_TITLES, type RunSummary, type SkippedProvider } from '@shared/api/types'
import type { Words } from '../i18n/words'

/**
 * What a run's model runs on, for "Runs on …": "GPU (WebGPU · NVIDIA H200 through Vulkan)",
 * "GPU (CUDA)", "CPU"; null while the model is not loaded yet (or never was).
 */
export function providerText(run: Pick<RunSummary, 'providerUsed' | 'providerDevice'>): string | null {
  const { providerUsed: used, providerDevice: device } = run
  if (used === null) return null
  if (used === 'cpu') return 'CPU'
  const title = PROVIDER_TITLES[used]
  if (device === null) return `GPU (${title})`
  // WebGPU asked for by name can run on Mesa's software renderer, which is no GPU.
  return /software renderer/i.test(device) ? `${title} · ${device}` : `GPU (${title} · ${device})`
}

/** The heading of the skip reasons: "Why not the GPU?" on the CPU, "Why not CUDA?" on WebGPU. */
export function skippedHeading(run: Pick<RunSummary, 'providerUsed' | 'providerSkipped'>, { t }: Words): string {
  if (run.providerUsed === 'cpu') return t('runs.whyNotGpu')
  return t('runs.whyNot', { names: run.providerSkipped.map((skipped) => PROVIDER_TITLES[skipped.provider]).join(t('runs.or')) })
}

export function skippedTitle(skipped: SkippedProvider): string {
  return PROVIDER_TITLES[skipped.provider]
}
