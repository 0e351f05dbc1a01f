/** The export job itself: which images, the destination rules, cancelling, and class subsets. */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { exportLabels, planExport, type LabelExportOptions } from '../../../src-main/core/formats/export-labels'
import { createLabelledProject, type LabelledProject } from './labelled-project'

let folder: string
let source: LabelledProject
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'export-labels-'))
  source = await createLabelledProject(folder)
})
afterAll(async () => {
  source.project.close()
  await rm(folder, { recursive: true, force: true })
})

const run = (options: Partial<LabelExportOptions> & { out: string }, signal?: AbortSignal) =>
  exportLabels(
    { db: source.project.db, imageRoot: source.project.imageRoot, name: 'source' },
    { format: 'csv', allImages: false, includeEmpty: false, images: 'none', ...options },
    { signal },
  )

const hidden = async () => (await readdir(folder)).filter((name) => name.startsWith('.'))
const count = (predicate: (path: string, labels: number) => boolean) => [...source.labels].filter(([path, labels]) => predicate(path, labels.length)).length

describe('exportLabels', () => {
  it('exports reviewed images with labels by default, all labelled ones with allImages, negatives with includeEmpty', async () => {
    expect((await run({ out: join(folder, 'reviewed') })).images).toBe(count((path, labels) => source.reviewed.has(path) && labels > 0))
    expect((await run({ out: join(folder, 'all') , allImages: true })).images).toBe(count((_path, labels) => labels > 0))
    const withNegatives = await run({ out: join(folder, 'negatives'), format: 'coco', includeEmpty: true })
    expect(withNegatives.images).toBe(source.reviewed.size)
    expect(withNegatives.negatives).toBe(count((path, labels) => source.reviewed.has(path) && labels === 0))
  })

  it('exports reviewed images without labels as negatives by default, never unreviewed ones unless asked', async () => {
    const reviewedEmpty = count((path, labels) => source.reviewed.has(path) && labels === 0)
    const reviewedLabelled = count((path, labels) => source.reviewed.has(path) && labels > 0)
    expect(reviewedEmpty).toBeGreaterThan(0)
    const byDefault = await run({ out: join(folder, 'negatives-default'), format: 'coco' })
    expect(byDefault).toMatchObject({ images: reviewedLabelled + reviewedEmpty, negatives: reviewedEmpty })
    const without = await run({ out: join(folder, 'negatives-off'), format: 'coco', reviewedNegatives: false })
    expect(without).toMatchObject({ images: reviewedLabelled, negatives: 0 })
    // Every labelled image, and of the unlabelled ones only those a labeler reviewed.
    const all = await run({ out: join(folder, 'negatives-all'), format: 'coco', allImages: true })
    expect(all).toMatchObject({ images: count((_path, labels) => labels > 0) + reviewedEmpty, negatives: reviewedEmpty })
    // CSV cannot state a negative: it counts them as left out.
    const csv = await run({ out: join(folder, 'negatives-csv'), format: 'csv' })
    expect(csv).toMatchObject({ images: reviewedLabelled, negatives: 0, negativesLeftOut: reviewedEmpty })
  })

  it('says before writing what the export then writes, for every format and choice of images', async () => {
    const project = { db: source.project.db }
    const choices = [{}, { allImages: true }, { includeEmpty: true }, { reviewedNegatives: false }]
    for (const format of ['coco', 'yolo', 'voc', 'labelme', 'csv'] as const) {
      for (const [index, choice] of choices.entries()) {
        const options = { format, allImages: false, includeEmpty: false, images: 'none' as const, ...choice }
        const plan = planExport(project, options)
        const report = await run({ ...options, out: join(folder, `plan-${format}-${index}`) })
        expect({ format, choice, ...plan }).toEqual({
          format,
          choice,
          images: report.images,
          labels: report.labels,
          negatives: report.negatives,
          negativesLeftOut: report.negativesLeftOut,
          imageMode: report.imageMode,
          trainingNote: report.trainingNote,
        })
      }
    }
  })

  it('writes into an empty existing folder and refuses a non-empty one, leaving it untouched', async () => {
    const empty = join(folder, 'empty')
    await mkdir(empty)
    expect((await run({ out: empty })).state).toBe('done')
    expect(await readdir(empty)).toEqual(['classes.txt', 'labels.csv'])
    const busy = join(folder, 'busy')
    await mkdir(busy)
    await writeFile(join(busy, 'keep.txt'), 'mine')
    await expect(run({ out: busy })).rejects.toThrow(/is not empty; an export never overwrites files/)
    expect(await readdir(busy)).toEqual(['keep.txt'])
    await expect(run({ out: join(busy, 'keep.txt') })).rejects.toThrow(/is a file, not a folder/)
    expect(await hidden()).toEqual([])
  })

  it('stops when cancelled and leaves nothing behind', async () => {
    const controller = new AbortController()
    const out = join(folder, 'cancelled')
    let calls = 0
    const report = await exportLabels(
      { db: source.project.db, imageRoot: source.project.imageRoot, name: 'source' },
      { format: 'labelme', out, allImages: true, includeEmpty: true, images: 'copy' },
      {
        signal: controller.signal,
        onProgress(done) {
          calls++
          if (done === 3) controller.abort()
        },
      },
    )
    expect(report.state).toBe('cancelled')
    expect(calls).toBe(4)
    await expect(readdir(out)).rejects.toThrow(/ENOENT/)
    expect(await hidden()).toEqual([])
  })

  it('a YOLO export trains as written: images linked by default, each label where Ultralytics looks for it', async () => {
    const out = join(folder, 'yolo-default')
    const report = await run({ out, format: 'yolo', includeEmpty: true, split: [{ name: 'train', fraction: 0.5 }, { name: 'val', fraction: 0.5 }], images: undefined })
    expect(report.imageMode).toBe('link')
    expect(report.trainingNote).toBeNull()
    const data = parse(await readFile(join(out, 'data.yaml'), 'utf8')) as Record<string, string>
    // Every folder data.yaml names exists, and every image in it has its label file at Ultralytics'
    // img2label_paths: the last /images/ becomes /labels/, the extension .txt.
    let imagesFound = 0
    for (const key of ['train', 'val']) {
      const imageFolder = join(data.path!, data[key]!)
      for (const name of await readdir(imageFolder, { recursive: true })) {
        const imagePath = join(imageFolder, name)
        if (!(await stat(imagePath)).isFile()) continue
        const at = imagePath.lastIndexOf(`${sep}images${sep}`)
        const labelPath = `${imagePath.slice(0, at)}${sep}labels${sep}${imagePath.slice(at + 8)}`.replace(/\.[^./\\]+$/, '.txt')
        await expect(readFile(labelPath, 'utf8')).resolves.toBeTypeOf('string')
        imagesFound++
      }
    }
    expect(imagesFound).toBe(report.images)
  })

  it('a YOLO export without its images names no image folder and says why it cannot train as it is', async () => {
    const out = join(folder, 'yolo-labels-only')
    const report = await run({ out, format: 'yolo', images: 'none' })
    const data = parse(await readFile(join(out, 'data.yaml'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(data).sort()).toEqual(['names', 'nc', 'path'])
    expect(report.trainingNote).toMatch(/data\.yaml names no image folders.*--images link or copy/)
    expect((await readdir(out)).sort()).toEqual(['classes.txt', 'data.yaml', 'labels'])
  })

  it('exports a subset of classes in the given order, renamed, and refuses unknown names', async () => {
    const out = join(folder, 'subset')
    const report = await run({ out, format: 'yolo', allImages: true, classes: [{ name: 'cat' }, { name: 'zebra', exportAs: 'horse' }] })
    expect(report.classes).toEqual(['cat', 'horse'])
    expect(report.labels).toBe([...source.labels.values()].flat().filter((label) => label.className === 'cat' || label.className === 'zebra').length)
    expect(await readFile(join(out, 'classes.txt'), 'utf8')).toBe('cat\nhorse\n')
    await expect(run({ out: join(folder, 'unknown'), classes: [{ name: 'okapi' }] })).rejects.toThrow(/no class named "okapi"; its classes are "zebra", "cat", "bird 鳥", "unused"/)
    await expect(run({ out: join(folder, 'twice'), classes: [{ name: 'cat' }, { name: 'zebra', exportAs: 'cat' }] })).rejects.toThrow(/exported once/)
  })
})
