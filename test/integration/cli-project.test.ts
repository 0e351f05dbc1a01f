/** `project create`, `project detect` and `project info` end to end: the real CLI in child processes, real files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { markInterruptedRuns } from '../../src-main/core/db/run-lease'
import { createRun, finishRun, setRunProvider, type ProviderRequest, type RunProvider } from '../../src-main/core/db/runs-repository'
import { runCli, spawnCli, type CliChild } from './jobs/cli-child'
import { copyFixtureImages, fixtureModel, withDatabase } from './jobs/project-fixture'

let dir: string
let imageFolder: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-project-'))
  imageFolder = join(dir, 'images')
  copyFixtureImages(imageFolder, 10)
  writeFileSync(join(imageFolder, 'broken.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40)]))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Info {
  images: { total: number; new: number; detected: number; error: number }
  labels: number
  detections: number
  detectionsInAllRuns: number
  labelThreshold: { source: string; score: number }
  classes: { name: string; detections: number; labels: number }[]
  runs: {
    id: number
    state: string
    scope: string
    provider: string
    providerUsed: string | null
    providerDevice: string | null
    providerSkipped: { provider: string; reason: string }[]
    done: number
    errors: number
    pending: number
    detections: number
  }[]
}

/**
 * Stops the CLI mid-run (SIGSTOP), the way a busy process looks from outside: alive, its run
 * unfinished. It is stopped after a commit and outside any write transaction, so that others
 * can still write to the project file.
 */
async function freezeBetweenCommits(child: CliChild, projectFile: string): Promise<void> {
  for (let commits = 1; ; commits++) {
    await child.waitForLines(/^saved: /, commits)
    child.process.kill('SIGSTOP')
    const writable = withDatabase(projectFile, (db) => {
      db.pragma('busy_timeout = 0')
      try {
        db.exec('BEGIN IMMEDIATE; ROLLBACK')
        return true
      } catch {
        return false
      }
    })
    if (writable) return
    child.process.kill('SIGCONT')
  }
}

async function info(projectFile: string): Promise<Info> {
  const result = await runCli(['project', 'info', projectFile, '--json'])
  expect(result.code).toBe(0)
  return JSON.parse(result.stdout) as Info
}

describe('project commands', () => {
  it('create scans the folder, detect fills the project, info reports it', async () => {
    const projectFile = join(dir, 'birds.rwproj')
    const created = await runCli(['project', 'create', projectFile, imageFolder])
    expect(created.code).toBe(0)
    expect(created.stdout).toMatch(/created .*birds\.rwproj .*: 10 images/)
    expect(created.stderr).toMatch(/1 file skipped:\n {2}broken\.png: /)
    expect((await info(projectFile)).images).toMatchObject({ total: 10, new: 10, detected: 0 })

    const detected = await runCli(['project', 'detect', projectFile, '--model', fixtureModel, '--provider', 'cpu'])
    expect(detected.code).toBe(0)
    expect(detected.stderr).toMatch(/^run 1: 10 images to process with .*tiny-concat\.onnx\nprovider: CPU/m)
    expect(detected.stderr).toMatch(/progress: 10\/10 images/)
    expect(detected.stderr).toMatch(/done: run 1, 10 images in .*, 0 failed, \d+ detections; labels rebuilt on 10 images/)

    const after = await info(projectFile)
    expect(after.images).toMatchObject({ total: 10, new: 0, detected: 10 })
    expect(after.runs).toEqual([
      expect.objectContaining({ id: 1, state: 'done', scope: 'unprocessed', provider: 'CPU', providerUsed: 'cpu', providerDevice: 'CPU', done: 10, errors: 0, pending: 0 }),
    ])
    expect(after.detections).toBe(after.runs[0]!.detections)
    expect(after.classes.map((entry) => entry.name)).toEqual(['circle', 'square', 'triangle', 'star', 'cross'])
    expect(after.classes.reduce((sum, entry) => sum + entry.detections, 0)).toBe(after.detections)
    // Labels are the detections at the label threshold (the model's operating point, 0.5 for this model).
    expect(after.labelThreshold).toEqual({ source: 'model', score: 0.5, perClass: {} })
    expect(after.classes.reduce((sum, entry) => sum + entry.labels, 0)).toBe(after.labels)
    expect(after.labels).toBeLessThan(after.detections)

    // Nothing is left for the default scope; --all processes everything again as a new run.
    const again = await runCli(['project', 'detect', projectFile, '--model', fixtureModel, '--provider', 'cpu'])
    expect(again.stderr).toMatch(/run 2: 0 images to process/)
    const all = await runCli(['project', 'detect', projectFile, '--model', fixtureModel, '--provider', 'cpu', '--all', '--score', '0.5'])
    expect(all.code).toBe(0)
    expect(all.stderr).toMatch(/run 3: 10 images to process/)
    const final = await info(projectFile)
    expect(final.runs.map((run) => [run.id, run.scope, run.done])).toEqual([[3, 'all', 10], [2, 'unprocessed', 0], [1, 'unprocessed', 10]])

    // Detections count each image's latest run; the sum over every run is given apart.
    expect(final.detections).toBe(final.runs[0]!.detections)
    expect(final.detectionsInAllRuns).toBe(final.runs.reduce((sum, run) => sum + run.detections, 0))
    const text = await runCli(['project', 'info', projectFile])
    expect(text.stdout).toMatch(/^images: 10 in .* — new 0, detected 10, reviewed 0, error 0$/m)
    expect(text.stdout).toMatch(new RegExp(`^labels: ${final.labels} \\(what exports contain\\)$`, 'm'))
    expect(text.stdout).toMatch(/^label threshold: 0\.5 \(the model's operating point\)$/m)
    expect(text.stdout).toMatch(/^classes \(labels \/ detections\):$/m)
    expect(text.stdout).toMatch(/^ {2}#3 done, started .*, tiny-concat\.onnx, CPU, scope all: 10 done, 0 failed, 0 pending, \d+ detections$/m)
  }, 120_000)

  it('info names the provider and device of each run, and why faster providers were not used', async () => {
    const projectFile = join(dir, 'providers.rwproj')
    expect((await runCli(['project', 'create', projectFile, imageFolder])).code).toBe(0)
    withDatabase(projectFile, (db) => {
      const run = (providerRequested: ProviderRequest, provider: RunProvider | null, startedAt: string) => {
        const runId = createRun(db, {
          modelPath: fixtureModel,
          modelSha256: 'a'.repeat(64),
          modelConfig: {},
          providerRequested,
          decodeCutoff: 0.5,
          scope: 'all',
          labels: [],
          startedAt,
        })
        if (provider) setRunProvider(db, runId, provider)
        finishRun(db, runId, { state: 'done', finishedAt: startedAt })
      }
      // Recorded before WebGPU: the CUDA reason alone, no device.
      db.prepare(
        `INSERT INTO runs (model_path, model_sha256, model_config, provider_requested, provider_used, provider_fallback_reason,
                           decode_cutoff, scope, state, started_at, finished_at)
         VALUES (?, ?, '{}', 'auto', 'cpu', 'libcudart.so.12: cannot open shared object file', 0.5, 'all', 'done', 't1', 't1')`,
      ).run(fixtureModel, 'a'.repeat(64))
      run('auto', { used: 'webgpu', device: 'NVIDIA H200 through Vulkan', fallbackReason: 'CUDA: the CUDA provider files are not installed' }, 't2')
      run('auto', { used: 'cpu', device: 'CPU', fallbackReason: 'CUDA: not installed; WebGPU: no GPU was found; only lavapipe' }, 't3')
      run('webgpu', null, 't4')
    })

    const { runs } = await info(projectFile)
    expect(runs.map(({ id, provider, providerUsed, providerDevice, providerSkipped }) => ({ id, provider, providerUsed, providerDevice, providerSkipped }))).toEqual([
      { id: 4, provider: 'provider unknown', providerUsed: null, providerDevice: null, providerSkipped: [] },
      {
        id: 3,
        provider: 'CPU (CUDA and WebGPU not used)',
        providerUsed: 'cpu',
        providerDevice: 'CPU',
        providerSkipped: [
          { provider: 'cuda', reason: 'not installed' },
          { provider: 'webgpu', reason: 'no GPU was found; only lavapipe' },
        ],
      },
      {
        id: 2,
        provider: 'WebGPU (NVIDIA H200 through Vulkan)',
        providerUsed: 'webgpu',
        providerDevice: 'NVIDIA H200 through Vulkan',
        providerSkipped: [{ provider: 'cuda', reason: 'the CUDA provider files are not installed' }],
      },
      {
        id: 1,
        provider: 'CPU (CUDA not used)',
        providerUsed: 'cpu',
        providerDevice: null,
        providerSkipped: [{ provider: 'cuda', reason: 'libcudart.so.12: cannot open shared object file' }],
      },
    ])
    const text = await runCli(['project', 'info', projectFile])
    expect(text.stdout).toMatch(/^ {2}#2 done, started t2, tiny-concat\.onnx, WebGPU \(NVIDIA H200 through Vulkan\), scope all: /m)
    expect(text.stdout).toMatch(/^ {2}#3 done, started t3, tiny-concat\.onnx, CPU \(CUDA and WebGPU not used\), scope all: /m)

    const badProvider = await runCli(['project', 'detect', projectFile, '--provider', 'tpu'])
    expect(badProvider.code).toBe(2)
    expect(badProvider.stderr).toMatch(/--provider must be one of auto, cpu, cuda, webgpu \(got "tpu"\)/)
  }, 120_000)

  it('Ctrl-C cancels the run cleanly and --resume finishes it', async () => {
    const projectFile = join(dir, 'interrupted.rwproj')
    expect((await runCli(['project', 'create', projectFile, imageFolder])).code).toBe(0)
    const child = spawnCli(['project', 'detect', projectFile, '--model', fixtureModel, '--provider', 'cpu', '--commit-every', '2', '--log-commits'])
    await child.waitForLines(/^saved: /, 1)
    child.process.kill('SIGINT')
    const cancelled = await child.exited
    expect(cancelled.code).toBe(130)
    expect(cancelled.stderr).toMatch(/cancelled: run 1 saved \d+ of 10 images; `project detect .* --resume` continues it/)
    const stopped = await info(projectFile)
    expect(stopped.runs[0]).toMatchObject({ id: 1, state: 'cancelled' })
    expect(stopped.runs[0]!.pending).toBeGreaterThan(0)

    const fresh = await runCli(['project', 'info', projectFile])
    expect(fresh.stdout).toMatch(/#1 cancelled/)
    const resumed = await runCli(['project', 'detect', projectFile, '--resume'])
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toMatch(/resuming run 1 \(\d+ of 10 images done before\)/)
    expect((await info(projectFile)).runs).toEqual([expect.objectContaining({ id: 1, state: 'done', done: 10, pending: 0 })])
    withDatabase(projectFile, (db) => {
      expect(db.prepare('SELECT count(*) FROM run_images').pluck().get()).toBe(10)
    })
  }, 120_000)

  it('leaves a run that another process is working on to that process', async () => {
    const projectFile = join(dir, 'shared.rwproj')
    expect((await runCli(['project', 'create', projectFile, imageFolder])).code).toBe(0)
    const child = spawnCli(['project', 'detect', projectFile, '--model', fixtureModel, '--provider', 'cpu', '--commit-every', '2', '--log-commits'])
    await freezeBetweenCommits(child, projectFile)
    try {
      const second = await runCli(['project', 'detect', projectFile, '--resume'])
      expect(second.code).toBe(1)
      expect(second.stderr).toMatch(new RegExp(`run 1 is being processed by another window or command \\(process ${child.process.pid}\\)`))
      // Opening the project elsewhere (as the app does) must not take it for an interrupted run.
      expect(withDatabase(projectFile, (db) => markInterruptedRuns(db))).toBe(0)
      expect((await info(projectFile)).runs).toEqual([expect.objectContaining({ id: 1, state: 'running' })])
    } finally {
      child.process.kill('SIGCONT')
    }
    expect((await child.exited).code).toBe(0)
    expect((await info(projectFile)).runs).toEqual([expect.objectContaining({ id: 1, state: 'done', done: 10, pending: 0 })])
    withDatabase(projectFile, (db) => {
      expect(db.prepare('SELECT lease_owner, lease_expires_at FROM runs').all()).toEqual([{ lease_owner: null, lease_expires_at: null }])
    })
  }, 120_000)

  it('explains wrong arguments and unusable files', async () => {
    const missing = await runCli(['project', 'detect'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/project detect takes exactly one project file/)
    const unknown = await runCli(['project', 'rename', 'x'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown project subcommand "rename"/)
    const badScore = await runCli(['project', 'detect', join(dir, 'birds.rwproj'), '--score', '2'])
    expect(badScore.code).toBe(2)
    expect(badScore.stderr).toMatch(/--score must be a number/)
    const notProject = await runCli(['project', 'info', join(imageFolder, 'broken.png')])
    expect(notProject.code).toBe(1)
    expect(notProject.stderr).toMatch(/is not a Retina Workbench project file/)
    const exists = await runCli(['project', 'create', join(dir, 'birds.rwproj'), imageFolder])
    expect(exists.code).toBe(1)
    expect(exists.stderr).toMatch(/A file already exists/)
    const nothingToResume = await runCli(['project', 'detect', join(dir, 'birds.rwproj'), '--resume'])
    expect(nothingToResume.code).toBe(1)
    expect(nothingToResume.stderr).toMatch(/no unfinished run to resume/)
  }, 120_000)
})
