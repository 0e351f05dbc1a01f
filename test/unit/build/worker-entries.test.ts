/**
 * Every worker the main process starts by name must be built as an entry of its own beside the
 * built main (electron.vite.config.ts), or the desktop app fails where the tests, which run
 * from source, pass. This finds each start in the source and checks the build lists it, with
 * the source file that lies beside the module starting it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : []
  })
}

/** `startWorkerBeside(import.meta.url, 'name', …)` and `{ fromModuleUrl: import.meta.url, entry: 'name' … }`. */
const STARTS = [/startWorkerBeside\(import\.meta\.url, '([\w-]+)'/g, /fromModuleUrl: import\.meta\.url,\s*entry: '([\w-]+)'/g]

describe('worker entries', () => {
  const config = readFileSync(join(root, 'electron.vite.config.ts'), 'utf8')
  const started = sourceFiles(join(root, 'src-main')).flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return STARTS.flatMap((pattern) => [...text.matchAll(pattern)].map((match) => ({ file, name: match[1]! })))
  })

  it('finds the workers the main process starts', () => {
    expect(started.map(({ name }) => name).sort()).toEqual(expect.arrayContaining(['detection-worker', 'evaluation-worker', 'label-write-worker', 'training-worker']))
  })

  it('builds each one beside the built main, from the file beside the module that starts it', () => {
    for (const { file, name } of started) {
      const source = relative(root, join(dirname(file), `${name}.ts`)).split('\\').join('/')
      expect(statSync(join(root, source)).isFile()).toBe(true)
      expect(config).toContain(`'${name}': resolve(root, '${source}')`)
    }
  })
})
