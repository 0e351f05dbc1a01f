import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const SERVING_LINE = /^Retina Workbench is serving at (http:\/\/127\.0\.0\.1:(\d+)\/([A-Za-z0-9_-]+)\/)$/

let userData: string
let child: ChildProcess
let stdoutLines: string[]
let url: string

function exited(process: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })))
}

beforeAll(async () => {
  userData = await mkdtemp(join(tmpdir(), 'rw-serve-'))
  child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/server/main.ts', '--port', '0', '--user-data', userData],
    { cwd: process.cwd(), env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  stdoutLines = []
  const lines = createInterface({ input: child.stdout! })
  url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      stdoutLines.push(line)
      const match = SERVING_LINE.exec(line)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`serve exited early with code ${code}`)))
  })
})

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await rm(userData, { recursive: true, force: true })
})

describe('npm run serve entry', () => {
  it('prints exactly one line with a loopback URL whose path is a long random token', () => {
    expect(stdoutLines).toHaveLength(1)
    const token = SERVING_LINE.exec(stdoutLines[0]!)![3]!
    expect(token.length).toBeGreaterThanOrEqual(40)
  })

  it('answers API calls with the printed token', async () => {
    const { origin, pathname } = new URL(url)
    const response = await fetch(`${origin}/api/project.recent`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${pathname.split('/')[1]}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(await response.json()).toEqual({ ok: true, value: [] })
  })

  it('uses --user-data for the recent projects list', async () => {
    const { origin, pathname } = new URL(url)
    const folder = join(userData, 'images')
    const { createImageFolder } = await import('../../helpers/image-folder')
    await createImageFolder(folder)
    const response = await fetch(`${origin}/api/project.create`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${pathname.split('/')[1]}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ imageFolder: folder }),
    })
    expect(((await response.json()) as { ok: boolean }).ok).toBe(true)
    const stored = JSON.parse(await readFile(join(userData, 'recent-projects.json'), 'utf8'))
    expect(stored.projects[0].file).toBe(join(folder, 'images.rwproj'))
  })

  it('exits cleanly on SIGTERM', async () => {
    const exit = exited(child)
    child.kill('SIGTERM')
    expect(await exit).toEqual({ code: 0, signal: null })
  })
})

describe('serve options', () => {
  it('refuses an unknown flag with usage and exit code 2', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'src-main/server/main.ts', '--prot', '80'], {
      cwd: process.cwd(),
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    bad.stderr!.on('data', (data: Buffer) => (stderr += data.toString()))
    expect((await exited(bad)).code).toBe(2)
    expect(stderr).toContain('Unknown option "--prot"')
    expect(stderr).toContain('--port N')
  })
})
