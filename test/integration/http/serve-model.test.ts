import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunSummary } from '@shared/api/types'
import { copyFixtureImages, fixtureModel } from '../jobs/project-fixture'
import { collectEvents } from './sse-collector'

const SERVING_LINE = /^Retina Workbench is serving at (http:\/\/127\.0\.0\.1:\d+)\/([A-Za-z0-9_-]+)\/$/

let folder: string

function startServe(extraArgs: string[]): ChildProcess {
  return spawn(
    process.execPath,
    ['--import', 'tsx', 'src-main/server/main.ts', '--port', '0', '--user-data', join(folder, 'user-data'), ...extraArgs],
    { cwd: process.cwd(), env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.node.json' }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'rw-serve-model-'))
})

afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('serve --model', () => {
  it('refuses to start with a model file that does not exist', async () => {
    const missing = join(folder, 'missing.onnx')
    const child = startServe(['--model', missing])
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect(await exited(child)).toBe(2)
    expect(stderr).toContain(`The model file does not exist: ${missing}`)
  }, 60_000)

  it('makes runs that name no model use the given one', async () => {
    const imageFolder = join(folder, 'images')
    copyFixtureImages(imageFolder, 4)
    const child = startServe(['--model', fixtureModel])
    try {
      const [origin, token] = await new Promise<[string, string]>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const match = SERVING_LINE.exec(line)
          if (match) resolve([match[1]!, match[2]!])
        })
        child.once('exit', (code) => reject(new Error(`serve exited early with code ${code}`)))
      })
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
      const call = async (method: string, args: unknown = {}) => {
        const response = await fetch(`${origin}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(args) })
        const body = (await response.json()) as { ok: boolean; value: unknown }
        expect(body.ok).toBe(true)
        return body.value
      }
      const stream = collectEvents(await fetch(`${origin}/events`, { headers }))
      await call('project.create', { imageFolder })
      const started = (await call('runs.start', { scope: 'all' })) as RunSummary
      expect(started.modelPath).toBe(fixtureModel)
      const finished = await stream.waitFor((event) => event.type === 'run.finished')
      expect(finished).toMatchObject({ type: 'run.finished', run: { id: started.id, state: 'done', imagesDone: 4 } })
      await stream.close()
    } finally {
      child.kill('SIGTERM')
      await exited(child)
    }
  }, 120_000)
})
