import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  resolve: {
    alias: { '@shared': fileURLToPath(new URL('./src-shared', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/reporters/plain-summary.ts'],
    // Native modules (better-sqlite3, onnxruntime-node, sharp) are safest in forked processes.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
})
