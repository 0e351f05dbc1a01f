/** CLI wording and scans of awkward folders (issue 12, items 9 and 10): the real CLI in child processes. */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixtureImages, fixtureModel, repoRoot } from './jobs/project-fixture'

let dir: string
const isRoot = process.getuid?.() === 0
/** As root, the CLI runs without the capabilities that let root read any folder. */
const canDropRootRights = isRoot && spawnSync('setpriv', ['--bounding-set', '-dac_override,-dac_read_search', 'true']).status === 0

function runCli(args: string[], options: { withoutRootRights?: boolean; env?: Record<string, string> } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = [process.execPath, '--import', 'tsx', join(repoRoot, 'src-main/cli/main.ts'), ...args]
  const prefix = options.withoutRootRights && canDropRootRights ? ['setpriv', '--bounding-set', '-dac_override,-dac_read_search'] : []
  const [program, ...rest] = [...prefix, ...command]
  const env = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C.UTF-8', ...options.env }
  const child = spawn(program!, rest, { cwd: repoRoot, env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-hardening-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('language', () => {
  it('says errors in Chinese when LANG asks for it, and in English when LC_ALL overrides it', async () => {
    const missing = join(dir, 'missing.rwproj')
    const chinese = await runCli(['project', 'info', missing], { env: { LANG: 'zh_CN.UTF-8' } })
    expect(chinese.code).toBe(1)
    expect(chinese.stderr).toBe(`错误：${missing} 处没有项目文件。\n`)
    const english = await runCli(['project', 'info', missing], { env: { LANG: 'zh_CN.UTF-8', LC_ALL: 'en_US.UTF-8' } })
    expect(english.stderr).toBe(`error: There is no project file at ${missing}.\n`)
  }, 60_000)
})

describe('project create', () => {
  it('adds .rwproj to a project file named without an extension, and says "1 image"', async () => {
    const folder = join(dir, 'one')
    copyFixtureImages(folder, 1)
    const created = await runCli(['project', 'create', join(dir, 'demo2'), folder])
    expect(created.code).toBe(0)
    expect(existsSync(join(dir, 'demo2.rwproj'))).toBe(true)
    expect(existsSync(join(dir, 'demo2'))).toBe(false)
    expect(created.stdout).toMatch(/demo2\.rwproj .*: 1 image from /)
  }, 60_000)

  it('skips and lists an unreadable sub-folder instead of failing the whole create', async (context) => {
    if (isRoot && !canDropRootRights) return context.skip('running as root without setpriv: permissions cannot stop this process')
    const folder = join(dir, 'with-locked')
    copyFixtureImages(folder, 2)
    mkdirSync(join(folder, 'locked'))
    copyFixtureImages(join(folder, 'locked'), 1)
    chmodSync(join(folder, 'locked'), 0o000)
    try {
      const created = await runCli(['project', 'create', join(dir, 'locked.rwproj'), folder], { withoutRootRights: true })
      expect(created.code).toBe(0)
      expect(created.stdout).toMatch(/: 2 images from /)
      expect(created.stderr).toMatch(/1 file skipped:\n {2}locked\/: folder could not be read \(permission denied\)/)
    } finally {
      chmodSync(join(folder, 'locked'), 0o755)
    }
  }, 60_000)

  it('names a folder that does not exist in words', async () => {
    const missing = await runCli(['project', 'create', join(dir, 'x.rwproj'), join(dir, 'no-such-folder')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/The image folder .*no-such-folder does not exist/)
    expect(missing.stderr).not.toMatch(/ENOENT/)
  }, 60_000)
})

describe('options', () => {
  it('answers a mistyped option in its own words, with the option meant', async () => {
    const typo = await runCli(['project', 'detect', join(dir, 'demo2.rwproj'), '--scroe', '0.5'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toMatch(/^error: unknown option --scroe; did you mean --score\?\n/)
    expect(typo.stderr).not.toMatch(/positional argument|ERR_PARSE_ARGS/)
  }, 60_000)

  it('gives --score the same range and message in detect and project detect', async () => {
    const plain = await runCli(['detect', dir, '--model', fixtureModel, '--score', '1'])
    const project = await runCli(['project', 'detect', join(dir, 'demo2.rwproj'), '--score', '1'])
    const message = /--score must be a number from 0 up to, but not including, 1 \(got "1"\)/
    expect(plain).toMatchObject({ code: 2, stderr: expect.stringMatching(message) })
    expect(project).toMatchObject({ code: 2, stderr: expect.stringMatching(message) })
  }, 60_000)
})

describe('paths on the command line (issue 21, item 1)', () => {
  const windowsPaths = process.platform === 'win32' ? [] : ['C:\\out', '\\\\srv\\share']

  it.each(windowsPaths)('refuses the Windows path %s as an export folder instead of writing into the working folder', async (out) => {
    const folder = join(dir, 'windows-paths')
    copyFixtureImages(folder, 1)
    const projectFile = join(dir, 'windows-paths.rwproj')
    if (!existsSync(projectFile)) expect((await runCli(['project', 'create', projectFile, folder])).code).toBe(0)
    const exported = await runCli(['project', 'export', projectFile, '--format', 'coco', '--out', out, '--all'])
    const landed = existsSync(join(repoRoot, out))
    rmSync(join(repoRoot, out), { recursive: true, force: true })
    expect({ code: exported.code, landed }).toEqual({ code: 1, landed: false })
    expect(exported.stderr).toMatch(/--out ".*" is a Windows path, and this computer is not running Windows/)
  }, 60_000)

  it.each(windowsPaths)('refuses the Windows path %s as a file to import', async (input) => {
    const imported = await runCli(['project', 'import', join(dir, 'windows-paths.rwproj'), `${input}\\labels.json`, '--format', 'coco'])
    expect(imported.code).toBe(1)
    expect(imported.stderr).toMatch(/The file or folder to import ".*" is a Windows path/)
  }, 60_000)
})
