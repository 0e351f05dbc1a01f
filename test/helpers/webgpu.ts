import { createSession, ProviderUnavailableError } from '../../src-main/core/detect/session'

/**
 * Why ONNX Runtime's WebGPU provider cannot run `modelPath` here (no Vulkan loader, no adapter,
 * an adapter that refuses), or null when it can: the tests that need it skip, naming the reason.
 */
export async function webGpuUnavailable(modelPath: string): Promise<string | null> {
  try {
    const { session } = await createSession(modelPath, { provider: 'webgpu' })
    await session.release()
    return null
  } catch (error) {
    if (error instanceof ProviderUnavailableError) return error.reason
    throw error
  }
}
