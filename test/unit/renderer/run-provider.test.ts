import { describe, expect, it } from 'vitest'
import { providerText, skippedHeading } from '../../../src-renderer/src/stores/run-provider'
import { wordsOf } from './i18n/words-of'

const noCuda = { provider: 'cuda', reason: 'the CUDA provider files are not installed' } as const
const noWebGpu = { provider: 'webgpu', reason: 'no GPU was found' } as const

describe('run provider wording', () => {
  it('names the provider and its device', () => {
    expect(providerText({ providerUsed: 'webgpu', providerDevice: 'NVIDIA H200 through Vulkan' })).toBe('GPU (WebGPU · NVIDIA H200 through Vulkan)')
    expect(providerText({ providerUsed: 'webgpu', providerDevice: 'Mesa lavapipe (software renderer, on the CPU) through Vulkan' })).toBe(
      'WebGPU · Mesa lavapipe (software renderer, on the CPU) through Vulkan',
    )
    expect(providerText({ providerUsed: 'cuda', providerDevice: null })).toBe('GPU (CUDA)')
    expect(providerText({ providerUsed: 'cpu', providerDevice: 'CPU' })).toBe('CPU')
    expect(providerText({ providerUsed: null, providerDevice: null })).toBeNull()
  })

  it('asks why not the GPU on the CPU, and why not CUDA on WebGPU, in either language', () => {
    expect(skippedHeading({ providerUsed: 'cpu', providerSkipped: [noCuda, noWebGpu] }, wordsOf('en'))).toBe('Why not the GPU?')
    expect(skippedHeading({ providerUsed: 'webgpu', providerSkipped: [noCuda] }, wordsOf('en'))).toBe('Why not CUDA?')
    expect(skippedHeading({ providerUsed: 'cpu', providerSkipped: [noCuda, noWebGpu] }, wordsOf('zh-CN'))).toBe('为什么没有用 GPU？')
  })
})
