import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

/**
 * The inner walls (eslint.config.js `innerWalls`, tools/lint/layer-walls.js) checked through
 * the repository's own lint configuration: what crosses a wall is reported with its reason,
 * whatever the spelling of the path; what stays inside is not.
 */

const repositoryRoot = resolve(import.meta.dirname, '..', '..', '..')
let eslint: ESLint

beforeAll(() => {
  eslint = new ESLint({ cwd: repositoryRoot })
})

async function wallMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(repositoryRoot, file) })
  return result!.messages.filter((message) => message.ruleId === 'layers/walls').map((message) => message.message)
}

describe('the inner walls', () => {
  const crossings: Array<[file: string, code: string, reason: RegExp]> = [
    ['src-main/core/jobs/example.ts', "import { x } from '../../api/run-manager'\nvoid x\n", /never imports the API layer/],
    ['src-main/core/db/migrations/example.ts', "import type { X } from '../../../server/auth'\nexport type Y = X\n", /never imports/],
    ['src-main/core/images/example.ts', "export { isProjectUuid } from '../projects/project-paths'\n", /projects import images/],
    ['src-main/api/example.ts', "import '../../src-main/server/auth'\n", /knows none of them/],
    ['src-main/app/example.ts', "import { serveStaticFile } from '../server/static-files'\nvoid serveStaticFile\n", /desktop shell/],
    ['src-main/server/example.ts', "import '../cli/main'\n", /one transport/],
    ['src-main/cli/example.ts', "const x = import('../server/start-server')\nvoid x\n", /never a transport/],
    ['src-renderer/src/editor/example.ts', "import { ref } from 'vue'\nvoid ref\n", /plain TypeScript/],
    ['src-renderer/src/viewer/example.ts', "import type Konva from 'konva'\nexport type S = Konva.Stage\n", /plain TypeScript/],
    ['src-renderer/src/editor/example.ts', "import { useLabelsStore } from '../stores/labels'\nvoid useLabelsStore\n", /no Vue, Pinia/],
  ]

  for (const [file, code, reason] of crossings) {
    it(`reports ${file}: ${code.split('\n')[0]}`, async () => {
      const messages = await wallMessages(file, code)
      expect(messages).toHaveLength(1)
      expect(messages[0]).toMatch(reason)
    })
  }

  const allowed: Array<[file: string, code: string]> = [
    ['src-main/core/jobs/example.ts', "import { x } from '../../../src-shared/api/result'\nvoid x\n"],
    ['src-main/core/projects/example.ts', "import { x } from '../images/thumbnails'\nvoid x\n"],
    ['src-main/server/example.ts', "import { x } from '../api/renderer-files'\nvoid x\n"],
    ['src-renderer/src/components/example.ts', "import { ref } from 'vue'\nvoid ref\n"],
    ['src-renderer/src/viewer/example.ts', "import { x } from '../editor/hit-test'\nvoid x\n"],
  ]

  for (const [file, code] of allowed) {
    it(`lets ${file} import ${code.split("'")[1]}`, async () => {
      expect(await wallMessages(file, code)).toEqual([])
    })
  }
})

describe('SQL only in core/db', () => {
  async function sqlMessages(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: resolve(repositoryRoot, file) })
    return result!.messages.filter((message) => message.ruleId === 'no-restricted-syntax').map((message) => message.message)
  }
  const statement = "declare const db: { prepare(sql: string): unknown }\nexport const x = db.prepare('SELECT 1')\n"

  it('reports a statement written outside core/db', async () => {
    expect(await sqlMessages('src-main/core/images/example.ts', statement)).toEqual([
      'SQL belongs in src-main/core/db: add a function to the repository of that table.',
    ])
    expect(await sqlMessages('src-main/api/example.ts', statement.replace("'SELECT 1'", '`SELECT ${1}`'))).toHaveLength(1)
  })

  it('lets core/db write SQL, and lets other code call a method named prepare with a value', async () => {
    expect(await sqlMessages('src-main/core/db/example.ts', statement)).toEqual([])
    expect(await sqlMessages('src-main/core/detect/example.ts', "declare const pool: { prepare(path: string): unknown }\ndeclare const path: string\nexport const x = pool.prepare(path)\n")).toEqual([])
  })
})
