/**
 * An export whose destination goes away while it is written (issue 20): the parent folder
 * moved or removed after the first image, or a written file deleted. Every format, with the
 * images left in place, copied or linked, fails with a message that says so and leaves no
 * folder that looks like a finished export; a later export into the same folder removes what
 * the failed one left there.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportLabels, type LabelExportOptions } from '../../../src-main/core/formats/export-labels'
import { EXPORT_FORMATS, type ExportImageMode } from '../../../src-main/core/formats/label-set'
import { createLabelledProject, type LabelledProject } from './labelled-project'

let folder: string
let source: LabelledProject
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-gone-'))
  source = await createLabelledProject(folder)
})
afterAll(async () => {
  source.project.close()
  await rm(folder, { recursive: true, force: true })
})

/** When the destination is changed: once the first image is done, or between its labels and its file. */
type Moment = 'after the first image' | 'between the first image’s labels and its file'

/** Exports every image to `<parent>/out`, calling `change` once, at `moment`. */
function exportWith(parent: string, options: Pick<LabelExportOptions, 'format' | 'images'>, change: () => void, moment: Moment = 'after the first image') {
  let changed = false
  const once = () => {
    if (!changed) change()
    changed = true
  }
  return exportLabels(
    { db: source.project.db, imageRoot: source.project.imageRoot, name: 'source' },
    { ...options, out: join(parent, 'out'), allImages: true, includeEmpty: true },
    moment === 'after the first image' ? { onProgress: (done) => (done === 1 ? once() : undefined) } : { onLabelsWritten: once },
  )
}

const FOLDER_GONE = /The export's folder beside .*out disappeared while it was being written \(was .* moved or removed\?\); nothing was exported/
const IMAGE_MODES: ExportImageMode[] = ['none', 'copy', 'link']
const MOMENTS: Moment[] = ['after the first image', 'between the first image’s labels and its file']
const cases = EXPORT_FORMATS.flatMap((format) => IMAGE_MODES.flatMap((images) => MOMENTS.map((moment) => ({ format, images, moment }))))

describe('an export whose destination’s parent is moved mid-export', () => {
  it.each(cases)('$format with images $images, moved $moment, fails, finishing nothing in either place', async ({ moment, ...options }) => {
    const parent = join(folder, `moved-${options.format}-${options.images}-${MOMENTS.indexOf(moment)}`)
    const movedTo = `${parent}-elsewhere`
    await mkdir(parent)
    await expect(exportWith(parent, options, () => renameSync(parent, movedTo), moment)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(FOLDER_GONE) })
    expect(existsSync(join(parent, 'out'))).toBe(false)
    // The moved folder holds only the hidden, partial export; no `out` appears there either.
    const left = await readdir(movedTo)
    expect(left).toEqual([expect.stringMatching(/^\.out\.partial-/)])

    // A later export into the moved folder removes that leftover: its owner (this process) is not exporting into it.
    const again = await exportWith(movedTo, options, () => undefined)
    expect(again.state).toBe('done')
    expect(await readdir(movedTo)).toEqual(['out'])
  })
})

describe('an export whose destination’s parent is removed mid-export', () => {
  it.each(cases)('$format with images $images, removed $moment, fails and recreates nothing', async ({ moment, ...options }) => {
    const parent = join(folder, `removed-${options.format}-${options.images}-${MOMENTS.indexOf(moment)}`)
    await mkdir(parent)
    await expect(exportWith(parent, options, () => rmSync(parent, { recursive: true, force: true }), moment)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(FOLDER_GONE),
    })
    expect(existsSync(parent)).toBe(false)
  })
})

describe('an export missing a file it wrote', () => {
  it('fails on the count check before the rename, naming both counts', async () => {
    const parent = join(folder, 'tampered')
    await mkdir(parent)
    const removeFirstLabelFile = () => {
      const [temporary] = readdirSync(parent).filter((name) => name.startsWith('.out.partial-'))
      const [labelFile] = readdirSync(join(parent, temporary!), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.xml'))
      rmSync(join(parent, temporary!, labelFile!))
    }
    const failure = exportWith(parent, { format: 'voc', images: 'none' }, removeFirstLabelFile)
    await expect(failure).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/holds \d+ files where \d+ were written/) })
    expect(await readdir(parent)).toEqual([])
  })
})
