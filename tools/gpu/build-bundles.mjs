// Bundles what the GPU checks run (exactness-check.ts, the detection and run-writes benchmarks,
// the preparation and inference workers) into plain JavaScript under .gpu/app/bundle/, so the
// GPU machine needs only Node.js and the native modules (pack-modules.sh). The bundle sits three folders below the project
// root, where the engine's own relative paths (the bundled model, the workers) find their files;
// the test helpers' fixtures are found through a link .gpu/app/fixtures → test/fixtures.
import { build } from 'esbuild'
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))
const out = `${root}.gpu/app/bundle`
mkdirSync(out, { recursive: true })
// The benchmarks as plain scripts: each module's run().
for (const name of ['detect', 'run-writes']) writeFileSync(`${out}/bench-${name}.ts`, `import { run } from '../../../bench/${name}.bench'\nawait run()\n`)
await build({
  absWorkingDir: root,
  entryPoints: {
    'exactness-check': 'tools/gpu/exactness-check.ts',
    'bench-detect': `${out}/bench-detect.ts`,
    'bench-run-writes': `${out}/bench-run-writes.ts`,
    'prepare-worker': 'src-main/core/detect/prepare-worker.ts',
    'inference-worker': 'src-main/core/detect/inference-worker.ts',
  },
  outdir: out,
  outExtension: { '.js': '.js' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['onnxruntime-node', 'sharp', 'better-sqlite3'],
  banner: { js: "import { createRequire as rwCreateRequire } from 'node:module'; const require = rwCreateRequire(import.meta.url);" },
  minify: true,
  logLevel: 'warning',
})
if (!existsSync(`${root}.gpu/app/fixtures`)) symlinkSync('../../test/fixtures', `${root}.gpu/app/fixtures`)
writeFileSync(`${out}/package.json`, '{"type":"module"}\n')
console.log(`bundles in ${out}`)
