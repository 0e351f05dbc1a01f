/**
 * An import folder holding a named pipe with a label file's name (issue 20): opening it would
 * wait for a writer forever and hold one of the threads every file read of the process shares,
 * so plans, thumbnails and other imports would all stop. It is skipped unread and named instead.
 */
import { spawnSync } from 'node:child_process'
import { constants } from 'node:fs'
import { mkdir, open, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../jobs/cli-child'
import { type ServerHarness, startHarness } from './server-harness'

const mkfifoMissing = spawnSync('mkfifo', ['--version']).error !== undefined

let harness: ServerHarness
let projectFile: string
let labelMeFolder: string
let cocoFolder: string
const fifos: string[] = []

async function makeFifo(path: string): Promise<void> {
  const made = spawnSync('mkfifo', [path])
  if (made.status !== 0) throw new Error(`mkfifo ${path} failed: ${made.stderr.toString()}`)
  fifos.push(path)
}

const labelMeDocument = {
  version: '5.4.1',
  flags: {},
  shapes: [{ label: 'cat', points: [[1, 1], [6, 6]], group_id: null, description: '', shape_type: 'rectangle', flags: {} }],
  imagePath: 'b.png',
  imageData: null,
  imageHeight: 8,
  imageWidth: 8,
}

const cocoDocument = {
  images: [{ id: 1, file_name: 'b.png', width: 8, height: 8 }],
  annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [1, 1, 5, 5], area: 25, iscrowd: 0 }],
  categories: [{ id: 1, name: 'cat' }],
}

const skippedFifo = { source: 'a.json', message: 'a named pipe (FIFO), not a regular file; skipped without reading it' }

describe.skipIf(mkfifoMissing)('importing from a folder with a named pipe in it', () => {
  beforeAll(async () => {
    harness = await startHarness()
    const images = join(harness.folder, 'images')
    await mkdir(images)
    for (const name of ['a.png', 'b.png']) {
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toFile(join(images, name))
    }
    projectFile = (await harness.call('project.create', { imageFolder: images })).body.value.file

    labelMeFolder = join(harness.folder, 'labelme')
    await mkdir(labelMeFolder)
    await writeFile(join(labelMeFolder, 'b.json'), JSON.stringify(labelMeDocument))
    await makeFifo(join(labelMeFolder, 'a.json'))

    cocoFolder = join(harness.folder, 'coco')
    await mkdir(cocoFolder)
    await writeFile(join(cocoFolder, 'labels.json'), JSON.stringify(cocoDocument))
    await makeFifo(join(cocoFolder, 'a.json'))
  })

  afterAll(async () => {
    // Should a reader have opened a pipe after all, a writer coming and going lets it finish.
    for (const fifo of fifos) {
      const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null)
      await writer?.close()
    }
    await harness?.stop()
  })

  it('plans five LabelMe imports at once, each skipping and naming the pipe, and thumbnails and a COCO plan still answer', async () => {
    const args = { format: 'labelme', input: labelMeFolder, mode: 'add', markReviewed: false, addClasses: true }
    const plans = await Promise.all(Array.from({ length: 5 }, () => harness.call('labels.planImport', args)))
    for (const { body } of plans) {
      expect(body.ok).toBe(true)
      expect(body.value).toMatchObject({ imagesInFile: 1, imagesMatched: 1, labels: 1, problemCount: 1, problems: [skippedFifo] })
    }

    const thumbnail = await harness.get('/thumb/1')
    expect(thumbnail.headers.get('content-type')).toBe('image/jpeg')
    await thumbnail.body?.cancel()

    const coco = await harness.call('labels.planImport', { ...args, format: 'coco', input: cocoFolder })
    expect(coco.body.value).toMatchObject({ imagesInFile: 1, imagesMatched: 1, labels: 1, problemCount: 1, problems: [skippedFifo] })
  })

  it('refuses a pipe given as the file to import, naming it, without opening it', async () => {
    const { body } = await harness.call('labels.planImport', { format: 'coco', input: join(cocoFolder, 'a.json'), mode: 'add', markReviewed: false, addClasses: true })
    expect(body.error).toEqual({
      code: 'invalid-argument',
      message: `${join(cocoFolder, 'a.json')} is a named pipe (FIFO), not a regular file; nothing was read from it.`,
      said: { key: 'importRefused.notRegularFile', values: { file: join(cocoFolder, 'a.json'), kind: 'a named pipe (FIFO)' } },
    })
  })

  it('imports through the CLI, naming the skipped pipe', async () => {
    await harness.call('project.close')
    const imported = await runCli(['project', 'import', projectFile, labelMeFolder, '--format', 'labelme', '--add-classes'])
    expect(imported.stderr).toContain(`1 items left out:\n  a.json: ${skippedFifo.message}\n`)
    expect(imported.stdout).toBe('imported 1 labels on 1 images, new classes cat; 1 items left out\n')
    expect(imported.code).toBe(0)
  })
})
