import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'electron-vite'
import { rendererConfig } from './tools/build/vite.renderer.config'

const root = fileURLToPath(new URL('.', import.meta.url))
const sharedAlias = { '@shared': resolve(root, 'src-shared') }

export default defineConfig({
  main: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: resolve(root, 'out/main'),
      // Native modules and sharp stay in node_modules and are loaded at run time.
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/app/main.ts'),
          // Detection runs execute in a worker thread; runInWorker loads `./detection-worker.js`
          // from the folder of the built main, so the entry must land next to index.js.
          'detection-worker': resolve(root, 'src-main/core/jobs/detection-worker.ts'),
          // The detector's preparation workers (core/detect/prepare-pool.ts) likewise.
          'prepare-worker': resolve(root, 'src-main/core/detect/prepare-worker.ts'),
          // A detector on a GPU runs its graph on an inference thread (core/detect/inference-thread.ts).
          'inference-worker': resolve(root, 'src-main/core/detect/inference-worker.ts'),
          // "Improve the model" trains in a worker thread (core/training/train-in-worker.ts).
          'training-worker': resolve(root, 'src-main/core/training/training-worker.ts'),
          // Evaluation queries are answered off the main thread (core/evaluation/project-evaluations.ts).
          'evaluation-worker': resolve(root, 'src-main/core/evaluation/evaluation-worker.ts'),
          // Imports and the undo of large steps are written off the main thread (core/labels/project-writes.ts).
          'label-write-worker': resolve(root, 'src-main/core/labels/label-write-worker.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: true,
      rollupOptions: {
        input: { preload: resolve(root, 'src-main/app/preload.ts') },
        // Sandboxed preload scripts must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
})
