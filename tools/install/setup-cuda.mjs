// `npm run setup:cuda`: downloads ONNX Runtime's CUDA 12 execution provider. Needs an
// internet connection, an NVIDIA driver, CUDA 12 and cuDNN 9 on the machine.
import { join } from 'node:path'
import { cudaPlatformSupported, lastErrorLine, projectRoot, runNodeScript } from './run-step.mjs'

if (!cudaPlatformSupported()) {
  console.log(`The CUDA provider exists only for Linux and Windows on x64; this is ${process.platform}/${process.arch}. Detection uses the CPU.`)
  process.exit(0)
}
const result = await runNodeScript(join(projectRoot, 'node_modules', 'onnxruntime-node', 'script', 'install.js'), [], {
  env: { ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
  timeoutMs: 1_800_000,
  echo: true,
})
if (!result.ok) {
  console.error(`Could not download the CUDA provider: ${lastErrorLine(result.output)}`)
  process.exit(1)
}
console.log('The CUDA provider is installed; detection uses the GPU when CUDA 12 and cuDNN 9 load.')
