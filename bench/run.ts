/**
 * `npm run bench [-- name ...]`: runs every `bench/<name>.bench.ts` (or only the named ones)
 * one after another, so that no two benchmarks compete for the machine. Each module exports
 * `run(): Promise<void>` and prints its own figures as ratios against a baseline measured
 * in the same run; absolute times on shared machines mean little.
 */
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const benchDir = dirname(fileURLToPath(import.meta.url))
const wanted = new Set(process.argv.slice(2))
const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.size === 0 || wanted.has(basename(file, '.bench.ts')))
  .sort()

if (files.length === 0) {
  console.error(`no benchmark matches ${[...wanted].join(', ') || '(any)'}`)
  process.exit(1)
}
for (const file of files) {
  console.log(`\n=== ${basename(file, '.bench.ts')}`)
  const module = (await import(pathToFileURL(join(benchDir, file)).href)) as { run: () => Promise<void> }
  await module.run()
}
