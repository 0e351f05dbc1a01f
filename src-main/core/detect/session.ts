/**
 * ONNX Runtime sessions: provider choice with an explained CPU fallback, thread count, the
 * graph's batch capacity, and a warm-up run.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import type { ProviderReport, ProviderRequest } from './types'

export interface SessionOptions {
  provider?: ProviderRequest
  /** ONNX Runtime intra-op threads; default: ONNX Runtime's own choice (one per core). */
  threads?: number
  /**
   * Let idle intra-op threads spin-wait for work (ONNX Runtime's own default) instead of
   * sleeping. Off by default: a detector shares the cores with its own image decoding and
   * preparation, the UI and whatever else runs, and spinning threads take those cores while
   * doing nothing. Measured by `npm run bench -- detect` (both settings, same run).
   */
  spinning?: boolean
}

export interface OpenedSession {
  session: ort.InferenceSession
  provider: ProviderReport
}

/** CUDA was asked for explicitly and cannot be used; `reason` is fit to show a user. */
export class CudaUnavailableError extends Error {
  readonly reason: string
  constructor(reason: string) {
    super(`the CUDA execution provider cannot be used: ${reason}`)
    this.name = 'CudaUnavailableError'
    this.reason = reason
  }
}

const PROVIDER_LIBRARIES: Partial<Record<NodeJS.Platform, { shared: string; cuda: string }>> = {
  linux: { shared: 'libonnxruntime_providers_shared.so', cuda: 'libonnxruntime_providers_cuda.so' },
  win32: { shared: 'onnxruntime_providers_shared.dll', cuda: 'onnxruntime_providers_cuda.dll' },
}

/** Where onnxruntime-node keeps its native libraries for this platform. */
export function onnxRuntimeBinaryFolder(): string {
  const packageJson = createRequire(import.meta.url).resolve('onnxruntime-node/package.json')
  return join(dirname(packageJson), 'bin', 'napi-v6', process.platform, process.arch)
}

/**
 * Why CUDA cannot work on this platform or install, found without asking ONNX Runtime: no
 * CUDA build for the platform, or the provider libraries that onnxruntime-node installs only
 * when its install script fetched the CUDA build are absent. Null when they are in place.
 */
export function missingCudaProvider(): string | null {
  const libraries = PROVIDER_LIBRARIES[process.platform]
  if (!libraries || process.arch !== 'x64') return `onnxruntime-node has no CUDA build for ${process.platform}/${process.arch}`
  const folder = onnxRuntimeBinaryFolder()
  for (const file of [libraries.shared, libraries.cuda]) {
    if (!existsSync(join(folder, file))) {
      return (
        `${file} is missing from ${folder}: onnxruntime-node was installed without its CUDA provider ` +
        '(`npm run setup:cuda` fetches it on a machine that is online)'
      )
    }
  }
  return null
}

/**
 * onnxruntime-node only says "Failed to load shared library"; the missing file goes to native
 * stderr. Find it ourselves: the provider libraries first, then (by loading the CUDA provider
 * library) the CUDA/cuDNN library it depends on, e.g. "libcublasLt.so.12: cannot open shared
 * object file".
 */
export function diagnoseCudaFailure(error: unknown): string {
  const runtimeMessage = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? ''
  const missing = missingCudaProvider()
  if (missing) return `${missing} (${runtimeMessage})`
  const cudaLibrary = join(onnxRuntimeBinaryFolder(), PROVIDER_LIBRARIES[process.platform]!.cuda)
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, cudaLibrary)
  } catch (loadError) {
    const text = (loadError as Error).message
    // A plain shared library "did not self-register" as a Node addon: it loaded, so nothing is missing.
    if (!/self-register/i.test(text)) return `${basename(cudaLibrary)} cannot be loaded: ${text.split('\n')[0]}`
  }
  return runtimeMessage || 'ONNX Runtime could not initialise CUDA'
}

function sessionOptions(provider: 'cuda' | 'cpu', threads: number | undefined, spinning: boolean): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // Errors reach us as exceptions; ONNX Runtime's own warnings would only clutter stderr.
    logSeverityLevel: 3,
  }
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 0) throw new RangeError(`threads must be a non-negative integer, got ${threads}`)
    options.intraOpNumThreads = threads
  }
  const allow = spinning ? '1' : '0'
  options.extra = { session: { intra_op: { allow_spinning: allow }, inter_op: { allow_spinning: allow } } }
  return options
}

/**
 * Why CUDA failed to load in this process, once known. Provider libraries do not appear while
 * the process runs, and each failed attempt costs time and a native error on stderr.
 */
let knownCudaFailure: string | null = null

/**
 * `auto`: CUDA if it loads, else CPU with the reason kept for the UI. `cuda`: CUDA or a
 * CudaUnavailableError saying why. `cpu`: CPU.
 */
export async function createSession(model: string | Uint8Array, options: SessionOptions = {}): Promise<OpenedSession> {
  const requested = options.provider ?? 'auto'
  const open = (provider: 'cuda' | 'cpu'): Promise<ort.InferenceSession> =>
    typeof model === 'string'
      ? ort.InferenceSession.create(model, sessionOptions(provider, options.threads, options.spinning ?? false))
      : ort.InferenceSession.create(model, sessionOptions(provider, options.threads, options.spinning ?? false))
  if (requested === 'cpu') {
    return { session: await open('cpu'), provider: { requested, used: 'cpu', fallbackReason: null } }
  }
  // Without the provider files the attempt can only fail, after a native error line on stderr.
  let cudaReason = knownCudaFailure ?? missingCudaProvider()
  if (cudaReason === null) {
    try {
      return { session: await open('cuda'), provider: { requested, used: 'cuda', fallbackReason: null } }
    } catch (error) {
      if (!isProviderFailure(error)) throw error
      cudaReason = diagnoseCudaFailure(error)
      knownCudaFailure = cudaReason
    }
  }
  if (requested === 'cuda') throw new CudaUnavailableError(cudaReason)
  return { session: await open('cpu'), provider: { requested, used: 'cpu', fallbackReason: cudaReason } }
}

/** Errors from registering the CUDA provider, as opposed to errors in the model itself. */
function isProviderFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /cuda|execution ?provider|shared library|cudnn|cublas|driver|device/i.test(message) && !/Load model .* failed/i.test(message)
}

export interface BatchCapacity {
  /** The batch axis is symbolic (any N) rather than a fixed number. */
  dynamic: boolean
  /** The fixed batch size when not dynamic. */
  fixedSize: number | null
}

/** Reads the batch dimension of a rank-4 input from the graph's metadata. */
export function batchCapacity(session: ort.InferenceSession, inputName: string): BatchCapacity {
  const metadata = session.inputMetadata.find((m) => m.name === inputName)
  const first = metadata && metadata.isTensor ? metadata.shape[0] : undefined
  if (typeof first === 'number' && first > 0) return { dynamic: false, fixedSize: first }
  return { dynamic: true, fixedSize: null }
}
