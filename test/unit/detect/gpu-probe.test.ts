import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { describeWebGpuDevice, explainWebGpuFailure, probeGpu } from '../../../src-main/core/detect/gpu-probe'
import { inEnglish, type Said } from '../../../src-shared/messages/said'

/** A reason as the CLI and the run record say it. */
const english = (said: Said | null) => (said === null ? null : inEnglish(said))

/** A made-up Linux machine: files under a temporary root, the Vulkan loader present unless said. */
const roots: string[] = []
function machine(files: Record<string, string>, loader: string | null = null, env: NodeJS.ProcessEnv = {}) {
  const root = mkdtempSync(join(tmpdir(), 'rw-gpu-probe-'))
  roots.push(root)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return probeGpu('linux', { root, env, vulkanLoaderLoads: () => loader })
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

const ADAPTER_MISSING =
  'webgpu_context.cc:136 adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters'

describe('GPU probe on Linux', () => {
  it('names an NVIDIA GPU from its driver', () => {
    const probe = machine({
      '/proc/driver/nvidia/gpus/0000:19:00.0/information': 'Model: \t\t NVIDIA H200\nIRQ: 42\n',
      '/sys/class/drm/renderD128/device/vendor': '0x10de\n',
      '/usr/share/vulkan/icd.d/lvp_icd.json': '{}',
    })
    expect(probe).toMatchObject({ api: 'Vulkan', hardware: true, deviceName: 'NVIDIA H200', blocker: null, autoSkip: null })
    expect(describeWebGpuDevice(probe)).toBe('NVIDIA H200 through Vulkan')
  })

  it('names AMD and Intel GPUs by their render node, with the product name when the kernel gives one', () => {
    expect(machine({ '/sys/class/drm/renderD128/device/vendor': '0x1002\n', '/sys/class/drm/renderD128/device/product_name': 'Radeon RX 7900 XTX\n' }).deviceName).toBe(
      'AMD Radeon RX 7900 XTX',
    )
    expect(machine({ '/sys/class/drm/renderD129/device/vendor': '0x8086\n' }).deviceName).toBe('Intel GPU')
  })

  it('treats virtual render nodes as no GPU', () => {
    const probe = machine({ '/sys/class/drm/renderD128/device/vendor': '0x1af4\n' })
    expect(probe.hardware).toBe(false)
    expect(english(probe.autoSkip)).toMatch(/^no GPU was found/)
  })

  it('recognises a machine whose only Vulkan device is the software renderer', () => {
    const probe = machine({ '/usr/share/vulkan/icd.d/lvp_icd.json': '{}' })
    expect(probe).toMatchObject({ hardware: false, blocker: null, deviceName: 'Mesa lavapipe (software renderer, on the CPU)' })
    expect(english(probe.autoSkip)).toMatch(/software renderer \(lavapipe\), which is slower than the CPU provider/)
  })

  it('follows VK_DRIVER_FILES when it names the drivers', () => {
    const probe = machine({}, null, { VK_DRIVER_FILES: '/opt/mesa/lvp_icd.x86_64.json' })
    expect(probe.deviceName).toMatch(/lavapipe/)
  })

  it('says which package brings a missing Vulkan loader', () => {
    const probe = machine({ '/sys/class/drm/renderD128/device/vendor': '0x1002\n' }, 'libvulkan.so.1: cannot open shared object file: No such file or directory')
    expect(english(probe.blocker)).toMatch(/^the Vulkan loader \(libvulkan\.so\.1\) is not installed; on Debian and Ubuntu `apt install libvulkan1`/)
    expect(english(probe.blocker)).toContain('cannot open shared object file')
  })

  it('finds the real loader of this machine or says it is missing', () => {
    const probe = probeGpu()
    if (process.platform === 'linux') expect(probe.api).toBe('Vulkan')
    if (probe.blocker) expect(english(probe.blocker)).toMatch(/Vulkan loader/)
  })
})

describe('other platforms', () => {
  it('Dawn uses Direct3D 12 on Windows and Metal on macOS', () => {
    expect(describeWebGpuDevice(probeGpu('win32'))).toBe('the GPU through Direct3D 12')
    expect(describeWebGpuDevice(probeGpu('darwin'))).toBe('the GPU through Metal')
    expect(english(probeGpu('freebsd').blocker)).toBe('WebGPU is not available on freebsd')
  })
})

describe('WebGPU failures in words', () => {
  it('says which driver is missing for the GPU found', () => {
    const nvidia = machine({ '/proc/driver/nvidia/gpus/0/information': 'Model: NVIDIA RTX 4090\n' })
    expect(inEnglish(explainWebGpuFailure(ADAPTER_MISSING, nvidia))).toMatch(/^Vulkan found no usable driver for NVIDIA RTX 4090: NVIDIA's driver installs it/)
    expect(inEnglish(explainWebGpuFailure(ADAPTER_MISSING, nvidia))).toMatch(/\(Failed to get a WebGPU adapter: No supported adapters\)$/)
    const amd = machine({ '/sys/class/drm/renderD128/device/vendor': '0x1002\n' })
    expect(inEnglish(explainWebGpuFailure(ADAPTER_MISSING, amd))).toMatch(/AMD GPU: on Debian and Ubuntu `apt install mesa-vulkan-drivers`/)
  })

  it('passes any other refusal on', () => {
    expect(inEnglish(explainWebGpuFailure('Device lost: out of memory\nmore', probeGpu('win32')))).toBe('the WebGPU adapter was refused: Device lost: out of memory')
  })
})
