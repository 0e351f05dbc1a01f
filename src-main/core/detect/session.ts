/**
 * ONNX Runtime sessions: provider choice (CUDA, WebGPU, CPU) with every fallback explained,
 * thread count, and the graph's batch capacity.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { PROVIDER_TITLES } from '../../../src-shared/api/types'
import { inEnglish, type Said } from '../../../src-shared/messages/said'
import { describeWebGpuDevice, explainWebGpuFailure, probeGpu, type GpuProbe } from './gpu-probe'
import type { ProviderName, ProviderReport, ProviderRequest, SkippedProvider } from './types'

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
  /** WebGPU only: the layout its convolutions prefer (default NHWC, measured faster). */
  webGpuLayout?: WebGpuLayout
}

export interface OpenedSession {
  session: ort.InferenceSession
  provider: ProviderReport
}

/** A GPU provider was asked for by name and cannot be used; `reason` is fit to show a user, `said` words it in another language. */
export class ProviderUnavailableError extends Error {
  readonly provider: 'cuda' | 'webgpu'
  readonly reason: string
  readonly said: Said
  constructor(provider: 'cuda' | 'webgpu', said: Said) {
    const reason = inEnglish(said)
    super(`the ${provider === 'cuda' ? 'CUDA' : 'WebGPU'} execution provider cannot be used: ${reason}`)
    this.name = 'ProviderUnavailableError'
    this.provider = provider
    this.reason = reason
    this.said = said
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
export function missingCudaProvider(): Said | null {
  const libraries = PROVIDER_LIBRARIES[process.platform]
  if (!libraries || process.arch !== 'x64') return { key: 'gpu.cudaNoBuild', values: { platform: `${process.platform}/${process.arch}` } }
  const folder = onnxRuntimeBinaryFolder()
  for (const file of [libraries.shared, libraries.cuda]) {
    if (!existsSync(join(folder, file))) return { key: 'gpu.cudaFilesMissing', values: { file, folder } }
  }
  return null
}

/**
 * onnxruntime-node only says "Failed to load shared library"; the missing file goes to native
 * stderr. Find it ourselves: the provider libraries first, then (by loading the CUDA provider
 * library) the CUDA/cuDNN library it depends on, e.g. "libcublasLt.so.12: cannot open shared
 * object file".
 */
export function diagnoseCudaFailure(error: unknown): Said {
  const runtimeMessage = (error instanceof Error ? error.message : String(error)).split('\n')[0]?.trim() ?? ''
  const missing = missingCudaProvider()
  if (missing) {
    const key = missing.key === 'gpu.cudaNoBuild' ? 'gpu.cudaNoBuildWithDetail' : 'gpu.cudaFilesMissingWithDetail'
    return { key, values: { ...missing.values, detail: runtimeMessage } }
  }
  const cudaLibrary = join(onnxRuntimeBinaryFolder(), PROVIDER_LIBRARIES[process.platform]!.cuda)
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, cudaLibrary)
  } catch (loadError) {
    const text = (loadError as Error).message
    // A plain shared library "did not self-register" as a Node addon: it loaded, so nothing is missing.
    if (!/self-register/i.test(text)) return { key: 'gpu.cudaCannotLoad', values: { library: basename(cudaLibrary), detail: text.split('\n')[0] ?? '' } }
  }
  return runtimeMessage ? { key: 'gpu.cudaRuntime', values: { detail: runtimeMessage } } : { key: 'gpu.cudaNotInitialised' }
}

/** The WebGPU provider's layout for convolutions: NHWC ran 1.4–1.8× faster than NCHW on an H200. */
export type WebGpuLayout = 'NCHW' | 'NHWC'

function executionProvider(provider: ProviderName, layout: WebGpuLayout): ort.InferenceSession.ExecutionProviderConfig {
  return provider === 'webgpu' ? { name: 'webgpu', preferredLayout: layout } : provider
}

function sessionOptions(provider: ProviderName, options: SessionOptions): ort.InferenceSession.SessionOptions {
  const { threads, spinning = false, webGpuLayout = 'NHWC' } = options
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: [executionProvider(provider, webGpuLayout)],
    graphOptimizationLevel: 'all',
    // Errors reach us as exceptions; ONNX Runtime's own warnings would only clutter stderr.
    logSeverityLevel: 3,
  }
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 0) throw new RangeError(`threads must be a non-negative integer, got ${threads}`)
    sessionOptions.intraOpNumThreads = threads
  }
  const allow = spinning ? '1' : '0'
  sessionOptions.extra = { session: { intra_op: { allow_spinning: allow }, inter_op: { allow_spinning: allow } } }
  return sessionOptions
}

/**
 * Why a GPU provider failed to start in this process, once known. Provider libraries and
 * drivers do not appear while the process runs, and each failed attempt costs time and a
 * native error on stderr.
 */
const knownFailures: Partial<Record<'cuda' | 'webgpu', Said>> = {}
let gpuProbe: GpuProbe | null = null

/** The machine's GPU facts, read once per process. */
export function machineGpu(): GpuProbe {
  gpuProbe ??= probeGpu()
  return gpuProbe
}

/** "CUDA: <reason>; WebGPU: <reason>", the form run records keep. */
export function joinSkipReasons(skipped: readonly SkippedProvider[]): string | null {
  return skipped.length === 0 ? null : skipped.map((s) => `${PROVIDER_TITLES[s.provider]}: ${s.reason}`).join('; ')
}

/**
 * `auto`: CUDA where its files are installed and it loads, then WebGPU where the machine has a
 * real GPU and Dawn accepts its adapter, then the CPU; each provider passed by is reported with
 * its reason. `cuda` / `webgpu`: that provider or a ProviderUnavailableError saying why (a
 * software WebGPU adapter is used when asked for by name). `cpu`: the CPU.
 */
export async function createSession(model: string | Uint8Array, options: SessionOptions = {}): Promise<OpenedSession> {
  const requested = options.provider ?? 'auto'
  const open = (provider: ProviderName): Promise<ort.InferenceSession> =>
    typeof model === 'string'
      ? ort.InferenceSession.create(model, sessionOptions(provider, options))
      : ort.InferenceSession.create(model, sessionOptions(provider, options))
  const skipped: SkippedProvider[] = []
  const report = (used: ProviderName, device: string): ProviderReport => ({
    requested,
    used,
    device,
    skipped: [...skipped],
    fallbackReason: joinSkipReasons(skipped),
  })

  if (requested === 'auto' || requested === 'cuda') {
    // Without the provider files the attempt can only fail, after a native error line on stderr.
    let reason = knownFailures.cuda ?? missingCudaProvider()
    if (reason === null) {
      try {
        const gpu = machineGpu().deviceName
        return { session: await open('cuda'), provider: report('cuda', `${gpu?.startsWith('NVIDIA') ? gpu : 'NVIDIA GPU'} through CUDA`) }
      } catch (error) {
        if (!isProviderFailure(error)) throw error
        reason = diagnoseCudaFailure(error)
        knownFailures.cuda = reason
      }
    }
    if (requested === 'cuda') throw new ProviderUnavailableError('cuda', reason)
    skipped.push({ provider: 'cuda', reason: inEnglish(reason), said: reason })
  }

  if (requested === 'auto' || requested === 'webgpu') {
    const probe = machineGpu()
    let reason = knownFailures.webgpu ?? probe.blocker ?? (requested === 'auto' ? probe.autoSkip : null)
    if (reason === null) {
      try {
        return { session: await open('webgpu'), provider: report('webgpu', describeWebGpuDevice(probe)) }
      } catch (error) {
        if (!isProviderFailure(error)) throw error
        reason = explainWebGpuFailure(error instanceof Error ? error.message : String(error), probe)
        knownFailures.webgpu = reason
      }
    }
    if (requested === 'webgpu') throw new ProviderUnavailableError('webgpu', reason)
    skipped.push({ provider: 'webgpu', reason: inEnglish(reason), said: reason })
  }

  return { session: await open('cpu'), provider: report('cpu', 'CPU') }
}

/**
 * Whether a session asked for `requested` would run on a GPU, as far as can be told without
 * loading a model: `auto` counts on CUDA where its files are installed and on WebGPU where the
 * machine has a GPU that auto would use.
 */
export function gpuLikely(requested: ProviderRequest): boolean {
  if (requested === 'cpu') return false
  if (requested !== 'auto') return true
  if (!knownFailures.cuda && missingCudaProvider() === null) return true
  const probe = machineGpu()
  return !knownFailures.webgpu && probe.blocker === null && probe.autoSkip === null
}

/** Errors from registering a GPU provider, as opposed to errors in the model itself. */
function isProviderFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return (
    /cuda|execution ?provider|shared library|cudnn|cublas|driver|device|webgpu|adapter|vulkan|dawn/i.test(message) &&
    !/Load model .* failed/i.test(message)
  )
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
