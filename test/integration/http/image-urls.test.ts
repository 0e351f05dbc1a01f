import { mkdir, utimes } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imagePathAndQuery } from '@shared/api/wire'
import { type ServerHarness, startHarness } from './server-harness'

/**
 * Image ids restart at 1 in every project and browsers cache images by URL, so an image URL
 * must name the project and the file version: after a switch the same id must never show the
 * other project's picture.
 */

let harness: ServerHarness
const projects: Record<'red' | 'blue', { file: string; uuid: string; folder: string }> = {} as never

async function writeSolid(file: string, colour: { r: number; g: number; b: number }): Promise<void> {
  await sharp({ create: { width: 16, height: 12, channels: 3, background: colour } }).png().toFile(file)
}

async function centreRed(response: Response): Promise<number> {
  const { data } = await sharp(Buffer.from(await response.arrayBuffer())).raw().toBuffer({ resolveWithObject: true })
  return data[0]!
}

async function firstImage(): Promise<{ id: number; mtimeMs: number }> {
  const { body } = await harness.call('images.list', { offset: 0, limit: 1 })
  return body.value.items[0]
}

beforeAll(async () => {
  harness = await startHarness()
  for (const [name, colour] of [
    ['red', { r: 250, g: 0, b: 0 }],
    ['blue', { r: 0, g: 0, b: 250 }],
  ] as const) {
    const folder = join(harness.folder, name)
    await mkdir(folder)
    await writeSolid(join(folder, 'same-name.png'), colour)
    const { body } = await harness.call('project.create', { imageFolder: folder })
    expect(body.ok).toBe(true)
    projects[name] = { file: body.value.file, uuid: body.value.uuid, folder }
  }
})

afterAll(async () => {
  await harness.stop()
})

describe('image URLs are unique per project and file version', () => {
  it('gives the project uuid in every summary', async () => {
    expect(projects.red.uuid).toMatch(/^[0-9a-f-]{36}$/)
    expect(projects.blue.uuid).not.toBe(projects.red.uuid)
    expect((await harness.call('project.current')).body.value.uuid).toBe(projects.blue.uuid)
  })

  it('builds different URLs for the same id in two projects, and each serves only its own image', async () => {
    const blueImage = await firstImage()
    const blueUrl = imagePathAndQuery('/image/', { projectUuid: projects.blue.uuid, ...blueImage })
    expect(await centreRed(await harness.get(blueUrl))).toBeLessThan(10)

    await harness.call('project.open', { projectFile: projects.red.file })
    const redImage = await firstImage()
    expect(redImage.id).toBe(blueImage.id)
    const redUrl = imagePathAndQuery('/image/', { projectUuid: projects.red.uuid, ...redImage })
    const redThumb = imagePathAndQuery('/thumb/', { projectUuid: projects.red.uuid, ...redImage })
    expect(redUrl).not.toBe(blueUrl)
    expect(await centreRed(await harness.get(redUrl))).toBeGreaterThan(240)
    expect(await centreRed(await harness.get(redThumb))).toBeGreaterThan(200)

    // The other project's URL is not answered with this project's bytes.
    const stale = await harness.get(blueUrl)
    expect(stale.status).toBe(404)
    await stale.body?.cancel()
    const staleThumb = await harness.get(imagePathAndQuery('/thumb/', { projectUuid: projects.blue.uuid, ...blueImage }))
    expect(staleThumb.status).toBe(404)
    await staleThumb.body?.cancel()
  })

  it('changes the URL when the file changes, and the old version is no longer served', async () => {
    const before = await firstImage()
    const oldUrl = imagePathAndQuery('/image/', { projectUuid: projects.red.uuid, ...before })
    const file = join(projects.red.folder, 'same-name.png')
    await writeSolid(file, { r: 120, g: 120, b: 0 })
    const later = new Date(Math.trunc(before.mtimeMs) + 5000)
    await utimes(file, later, later)
    expect((await harness.call('project.rescan', {})).body.value.changedCount).toBe(1)

    const after = await firstImage()
    const newUrl = imagePathAndQuery('/image/', { projectUuid: projects.red.uuid, ...after })
    expect(newUrl).not.toBe(oldUrl)
    const fresh = await harness.get(newUrl)
    expect(fresh.status).toBe(200)
    expect(await centreRed(fresh)).toBe(120)
    const old = await harness.get(oldUrl)
    expect(old.status).toBe(404)
    await old.body?.cancel()
  })

  it('still answers a URL without a version (curl, scripts) from the open project', async () => {
    const response = await harness.get(`/image/${(await firstImage()).id}`)
    expect(response.status).toBe(200)
    await response.body?.cancel()
  })
})
