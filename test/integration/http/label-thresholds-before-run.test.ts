/**
 * Before a project's first run its threshold panel shows the operating point of the model the
 * run will use (the bundled model's calibrated 0.43), not a generic 0.5; the run then keeps it.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabelThresholds } from '@shared/api/label-types'
import { BUNDLED_MODEL_PATH } from '../../../src-main/core/detect/detector'
import { copyFixtureImages, fixtureModel } from '../jobs/project-fixture'
import { type ServerHarness, startHarness } from './server-harness'

let harness: ServerHarness

async function value<T>(method: string, args: unknown = {}): Promise<T> {
  const { status, body } = await harness.call(method, args)
  if (status !== 200 || !body.ok) throw new Error(`${method} failed (${status}): ${JSON.stringify(body)}`)
  return body.value as T
}

const bundledPoint = (JSON.parse(readFileSync(BUNDLED_MODEL_PATH.replace(/\.onnx$/, '.json'), 'utf8')) as { labelThreshold: { score: number } })
  .labelThreshold.score

beforeAll(async () => {
  harness = await startHarness()
  const imageFolder = join(harness.folder, 'images')
  copyFixtureImages(imageFolder, 2)
  await value('project.create', { imageFolder })
})

afterAll(async () => {
  await harness.stop()
})

describe('the model default before the first run', () => {
  it("is the operating point of the model the next run will use", async () => {
    expect(bundledPoint).not.toBe(0.5)
    harness.server.context.runs.defaultModelPath = BUNDLED_MODEL_PATH
    const thresholds = await value<LabelThresholds>('labelThresholds.get')
    expect(thresholds.modelDefault.score).toBe(bundledPoint)
    expect(thresholds.score).toBe(bundledPoint)
  })

  it('follows the model the app is started with, and says 0.5 for a config that names none', async () => {
    harness.server.context.runs.defaultModelPath = fixtureModel
    const thresholds = await value<LabelThresholds>('labelThresholds.get')
    expect(thresholds.modelDefault.score).toBe(0.5)
  })
})
