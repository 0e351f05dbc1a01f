import { describe, expect, it } from 'vitest'
import { cliWords } from '../../../src-main/cli/cli-language'
import { describeProvider, describeProviderBriefly, type ProviderFacts } from '../../../src-main/cli/wording'

const noCuda = { provider: 'cuda', reason: 'the CUDA provider files are not installed (`npm run setup:cuda`)' } as const
const noWebGpu = { provider: 'webgpu', reason: 'no GPU was found; the only Vulkan device is Mesa lavapipe' } as const

describe('provider wording', () => {
  it.each<[string, ProviderFacts, string, string]>([
    [
      'WebGPU on a GPU after CUDA',
      { used: 'webgpu', device: 'NVIDIA H200 through Vulkan', skipped: [noCuda], requested: 'auto' },
      'WebGPU (NVIDIA H200 through Vulkan; CUDA not used: the CUDA provider files are not installed (`npm run setup:cuda`))',
      'WebGPU (NVIDIA H200 through Vulkan)',
    ],
    [
      'WebGPU asked for by name',
      { used: 'webgpu', device: 'Mesa lavapipe (software renderer, on the CPU) through Vulkan', skipped: [], requested: 'webgpu' },
      'WebGPU (Mesa lavapipe (software renderer, on the CPU) through Vulkan)',
      'WebGPU (Mesa lavapipe (software renderer, on the CPU) through Vulkan)',
    ],
    [
      'the CPU after both',
      { used: 'cpu', device: 'CPU', skipped: [noCuda, noWebGpu], requested: 'auto' },
      `CPU (CUDA not used: ${noCuda.reason}; WebGPU not used: ${noWebGpu.reason})`,
      'CPU (CUDA and WebGPU not used)',
    ],
    ['the CPU as requested', { used: 'cpu', device: 'CPU', skipped: [], requested: 'cpu' }, 'CPU (as requested)', 'CPU'],
    ['CUDA', { used: 'cuda', device: 'NVIDIA GPU through CUDA', skipped: [] }, 'CUDA (NVIDIA GPU through CUDA)', 'CUDA (NVIDIA GPU through CUDA)'],
    ['a run recorded before the device was kept', { used: 'cuda', device: null, skipped: [] }, 'CUDA', 'CUDA'],
  ])('names %s', (_case, facts, full, brief) => {
    expect(describeProvider(facts, cliWords('en'))).toBe(full)
    expect(describeProviderBriefly(facts)).toBe(brief)
  })
})

describe('provider wording in Chinese', () => {
  it('words the reasons that came with a key, and keeps the others as they are', () => {
    const keyed = { provider: 'webgpu', reason: 'no GPU was found (no NVIDIA driver, no GPU render node under /sys/class/drm)', said: { key: 'gpu.noGpu' } } as const
    expect(describeProvider({ used: 'cpu', device: 'CPU', skipped: [noCuda, keyed] }, cliWords('zh-CN'))).toBe(
      `CPU（未使用 CUDA：${noCuda.reason}；未使用 WebGPU：没有找到 GPU（没有 NVIDIA 驱动，/sys/class/drm 下也没有 GPU 渲染节点））`,
    )
    expect(describeProvider({ used: 'cpu', device: 'CPU', skipped: [], requested: 'cpu' }, cliWords('zh-CN'))).toBe('CPU（按要求）')
  })
})
