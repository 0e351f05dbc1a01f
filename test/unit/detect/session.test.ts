import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { batchCapacity, createSession, diagnoseCudaFailure, joinSkipReasons, machineGpu, onnxRuntimeBinaryFolder, ProviderUnavailableError } from '../../../src-main/core/detect/session'
import { inEnglish } from '../../../src-shared/messages/said'

const MODELS = join(import.meta.dirname, '..', '..', 'fixtures', 'models')
const concatModel = join(MODELS, 'tiny-concat.onnx')

// On machines where onnxruntime-node was installed with its CUDA build the fallback cannot be observed.
const cudaFilesInstalled = existsSync(join(onnxRuntimeBinaryFolder(), 'libonnxruntime_providers_shared.so'))

describe.skipIf(cudaFilesInstalled)('provider choice on a machine without the CUDA provider files', () => {
  it('auto passes CUDA by and says which library is missing, without a doomed CUDA attempt', async () => {
    const { session, provider } = await createSession(concatModel, { provider: 'auto' })
    try {
      expect(provider.requested).toBe('auto')
      expect(provider.used).not.toBe('cuda')
      const cuda = provider.skipped.find((skip) => skip.provider === 'cuda')!.reason
      expect(cuda).toMatch(/^libonnxruntime_providers_shared\.so is missing from .*onnxruntime-node.*linux.x64/)
      expect(cuda).toContain('installed without its CUDA provider')
      // ONNX Runtime was not asked to load CUDA: its error would be in the reason.
      expect(cuda).not.toContain('Failed to load shared library')
      expect(provider.fallbackReason).toBe(joinSkipReasons(provider.skipped))
      expect(provider.fallbackReason).toMatch(/^CUDA: libonnxruntime_providers_shared/)
      expect(session.outputNames).toEqual(['cls_logits', 'bbox_regression'])
    } finally {
      await session.release()
    }
  })

  it('cuda fails with the same reason instead of silently running on CPU', async () => {
    const failure = await createSession(concatModel, { provider: 'cuda' }).then(
      () => null,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(ProviderUnavailableError)
    expect((failure as ProviderUnavailableError).provider).toBe('cuda')
    expect((failure as ProviderUnavailableError).reason).toMatch(/^libonnxruntime_providers_shared\.so is missing/)
    expect((failure as Error).message).toMatch(/^the CUDA execution provider cannot be used: libonnxruntime_providers_shared\.so/)
  })

  it('names the missing library when ONNX Runtime itself reports the failure', () => {
    const reason = inEnglish(diagnoseCudaFailure(new Error('Failed to load shared library\nmore detail')))
    expect(reason).toMatch(/^libonnxruntime_providers_shared\.so is missing from .* \(Failed to load shared library\)$/)
  })
})

describe('sessions', () => {
  it('cpu is used as asked, with no fallback reason', async () => {
    const { session, provider } = await createSession(concatModel, { provider: 'cpu', threads: 1 })
    expect(provider).toEqual({ requested: 'cpu', used: 'cpu', device: 'CPU', skipped: [], fallbackReason: null })
    await session.release()
  })

  it('rejects a thread count that is not a whole number', async () => {
    await expect(createSession(concatModel, { provider: 'cpu', threads: 1.5 })).rejects.toThrow('threads must be a non-negative integer, got 1.5')
  })

  it('a broken model is reported as such, not as a CUDA problem, even in auto mode', async () => {
    await expect(createSession(new Uint8Array([1, 2, 3, 4, 5]), { provider: 'auto' })).rejects.toThrow(/protobuf/i)
  })

  it('reads a dynamic batch axis from the graph', async () => {
    const { session } = await createSession(concatModel, { provider: 'cpu' })
    expect(batchCapacity(session, 'images')).toEqual({ dynamic: true, fixedSize: null })
    await session.release()
  })

  it('reads a fixed batch size from the graph', async () => {
    const { session } = await createSession(join(MODELS, 'tiny-odtk.onnx'), { provider: 'cpu' })
    expect(batchCapacity(session, 'input')).toEqual({ dynamic: false, fixedSize: 1 })
    await session.release()
  })
})

// Without a GPU, auto must not pick a software WebGPU adapter: it is exact but slower than the CPU.
describe.skipIf(machineGpu().hardware)('auto on a machine without a GPU', () => {
  it('passes WebGPU by with the reason and runs on the CPU', async () => {
    const { session, provider } = await createSession(concatModel, { provider: 'auto' })
    try {
      expect(provider.used).toBe('cpu')
      const webgpu = provider.skipped.find((skip) => skip.provider === 'webgpu')
      expect(webgpu?.reason).toMatch(/no GPU was found/)
      expect(provider.fallbackReason).toContain('WebGPU: no GPU was found')
    } finally {
      await session.release()
    }
  })
})

describe('reasons in one line', () => {
  it('names each provider in the order tried', () => {
    expect(joinSkipReasons([])).toBeNull()
    expect(
      joinSkipReasons([
        { provider: 'cuda', reason: 'files missing' },
        { provider: 'webgpu', reason: 'no GPU' },
      ]),
    ).toBe('CUDA: files missing; WebGPU: no GPU')
  })
})
