/**
 * What this machine offers ONNX Runtime's WebGPU provider, found without asking ONNX Runtime:
 * Dawn, the WebGPU implementation inside onnxruntime-node, runs on Vulkan on Linux, Direct3D 12
 * on Windows and Metal on macOS. ONNX Runtime says only "No supported adapters" when Vulkan has
 * nothing to offer, and it does not name the adapter it picked, so the words a user reads (which
 * package is missing, which GPU is used) come from here.
 *
 * On Linux a machine without a GPU can still have an adapter: Mesa's software Vulkan device
 * (lavapipe). It computes exactly but far slower than the CPU provider, so `auto` does not pick
 * it; `webgpu` asked for by name does.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Said } from '../../../src-shared/messages/said'

export interface GpuProbe {
  /** The graphics API Dawn uses here. */
  api: 'Vulkan' | 'Direct3D 12' | 'Metal' | null
  /** A hardware GPU was found (not only a software renderer). */
  hardware: boolean
  /** The GPU in words ("NVIDIA H200"), the software renderer, or null when nothing is known. */
  deviceName: string | null
  /** Why WebGPU cannot work at all here (no Vulkan loader, unsupported platform), or null. */
  blocker: Said | null
  /** Why `auto` passes WebGPU by although it may work (only a software renderer), or null. */
  autoSkip: Said | null
}

/** Where a Linux machine's facts are read; tests point it at a made-up tree. */
export interface ProbeRoots {
  /** Prefix for /proc, /sys, /usr, /etc (default ''). */
  root: string
  /** Whether the Vulkan loader can be loaded; default: try to load it. */
  vulkanLoaderLoads?: () => string | null
  env?: NodeJS.ProcessEnv
}

const PCI_VENDORS: Record<string, string> = { '0x10de': 'NVIDIA', '0x1002': 'AMD', '0x8086': 'Intel', '0x5143': 'Qualcomm', '0x13b5': 'Arm' }

/** The Vulkan loader, loaded as a plain shared library: a load error names what is missing. */
function tryLoadVulkanLoader(): string | null {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, 'libvulkan.so.1')
  } catch (error) {
    const text = (error as Error).message
    // A plain shared library "did not self-register" as a Node addon: it loaded.
    if (/self-register/i.test(text)) return null
    return text.split('\n')[0] ?? text
  }
  return null
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path)
  } catch {
    return []
  }
}

/** NVIDIA's driver names each GPU in /proc/driver/nvidia/gpus/<bus>/information ("Model: NVIDIA H200"). */
function nvidiaModels(root: string): string[] {
  const folder = join(root, '/proc/driver/nvidia/gpus')
  return listDir(folder)
    .map((bus) => /^Model:\s*(.+)$/m.exec(readText(join(folder, bus, 'information')) ?? '')?.[1]?.trim())
    .filter((model): model is string => Boolean(model))
}

/** GPUs that expose a DRM render node (AMD, Intel, NVIDIA with its DRM module, …), by vendor. */
function renderNodeVendors(root: string): string[] {
  const folder = join(root, '/sys/class/drm')
  const vendors: string[] = []
  for (const entry of listDir(folder).filter((name) => /^renderD\d+$/.test(name))) {
    const vendorId = readText(join(folder, entry, 'device/vendor'))?.trim().toLowerCase()
    const vendor = vendorId ? PCI_VENDORS[vendorId] : undefined
    if (!vendor) continue // virtual devices (virtio, vgem) are no GPU to compute on
    const product = readText(join(folder, entry, 'device/product_name'))?.trim()
    vendors.push(product ? `${vendor} ${product}` : `${vendor} GPU`)
  }
  return vendors
}

/** Vulkan drivers (ICD manifests) that Dawn's loader will consider. */
function vulkanDrivers(root: string, env: NodeJS.ProcessEnv): string[] {
  const named = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES
  if (named) return named.split(':').filter(Boolean)
  const folders = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d']
  return folders.flatMap((folder) => listDir(join(root, folder)).map((file) => join(folder, file)))
}

export function probeGpu(platform: NodeJS.Platform = process.platform, roots: ProbeRoots = { root: '' }): GpuProbe {
  if (platform === 'win32') return { api: 'Direct3D 12', hardware: true, deviceName: null, blocker: null, autoSkip: null }
  if (platform === 'darwin') return { api: 'Metal', hardware: true, deviceName: null, blocker: null, autoSkip: null }
  if (platform !== 'linux') {
    const blocker: Said = { key: 'gpu.webgpuUnavailable', values: { platform } }
    return { api: null, hardware: false, deviceName: null, blocker, autoSkip: null }
  }
  const env = roots.env ?? process.env
  const loaderProblem = (roots.vulkanLoaderLoads ?? tryLoadVulkanLoader)()
  if (loaderProblem) {
    const blocker: Said = { key: 'gpu.noVulkanLoader', values: { detail: loaderProblem } }
    return { api: 'Vulkan', hardware: false, deviceName: null, blocker, autoSkip: null }
  }
  // An NVIDIA GPU can appear both ways; the /proc name comes first, being the more precise one.
  const gpus = [...nvidiaModels(roots.root), ...renderNodeVendors(roots.root)]
  const drivers = vulkanDrivers(roots.root, env)
  const software = drivers.some((file) => /lvp_icd|lavapipe|swiftshader/i.test(file))
  if (gpus.length > 0) return { api: 'Vulkan', hardware: true, deviceName: gpus[0]!, blocker: null, autoSkip: null }
  if (software) {
    return {
      api: 'Vulkan',
      hardware: false,
      deviceName: 'Mesa lavapipe (software renderer, on the CPU)',
      blocker: null,
      autoSkip: { key: 'gpu.onlyLavapipe' },
    }
  }
  return {
    api: 'Vulkan',
    hardware: false,
    deviceName: null,
    blocker: null,
    autoSkip: { key: 'gpu.noGpu' },
  }
}

/**
 * Turns Dawn's "no adapter" into what to install: the Vulkan driver of the GPU found, or any.
 * `message` is ONNX Runtime's error, kept at the end for whoever needs the detail.
 */
export function explainWebGpuFailure(message: string, probe: GpuProbe): Said {
  const detail = message.split('\n').find((line) => line.trim())?.trim() ?? 'unknown error'
  const shortDetail = detail.replace(/^.*?(Failed to get a WebGPU adapter)/, '$1')
  if (/No supported adapters|Failed to get a WebGPU adapter/i.test(detail)) {
    if (probe.api !== 'Vulkan') return { key: 'gpu.noAdapter', values: { api: probe.api ?? 'WebGPU', detail: shortDetail } }
    const gpu = probe.deviceName ?? 'this machine'
    const key = /NVIDIA/.test(gpu) ? 'gpu.noVulkanDriverNvidia' : /AMD|Intel/.test(gpu) ? 'gpu.noVulkanDriverMesa' : 'gpu.noVulkanDriver'
    return { key, values: { gpu, detail: shortDetail } }
  }
  return { key: 'gpu.adapterRefused', values: { detail: shortDetail } }
}

/** "NVIDIA H200 through Vulkan", "the GPU through Metal". */
export function describeWebGpuDevice(probe: GpuProbe): string {
  return `${probe.deviceName ?? 'the GPU'} through ${probe.api ?? 'WebGPU'}`
}
