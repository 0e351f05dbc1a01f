/** `project export` and `project import` end to end: the real CLI in child processes, real files. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../jobs/cli-child'
import { withDatabase } from '../jobs/project-fixture'
import { createLabelledProject, createProject, type LabelledProject } from './labelled-project'

let folder: string
let source: LabelledProject
let sourceFile: string
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'cli-label-transfer-'))
  source = await createLabelledProject(folder)
  sourceFile = source.project.file
  source.project.close()
})
afterAll(() => rm(folder, { recursive: true, force: true }))

const countLabels = (file: string) => withDatabase(file, (db) => db.prepare('SELECT count(*) FROM annotations WHERE deleted_at IS NULL').pluck().get() as number)

describe('project export / project import', () => {
  it('exports YOLO with a split and copied images, refuses to overwrite, and imports it back', async () => {
    const out = join(folder, 'yolo-out')
    const exported = await runCli(['project', 'export', sourceFile, '--format', 'yolo', '--out', out, '--include-empty', '--split', 'train=0.8,val=0.2', '--images', 'copy'])
    expect(exported.code).toBe(0)
    expect(exported.stdout).toMatch(new RegExp(`^exported ${source.reviewed.size} images \\(train \\d+, val \\d+\\), \\d+ labels, 4 classes, \\d+ without labels as yolo to .*yolo-out`))
    expect(exported.stderr).toMatch(/progress: \d+\/\d+ images/)
    // Said before writing: the same counts the summary reports.
    const summary = /^exported (\d+) images .*?, (\d+) labels, 4 classes, (\d+) without labels/.exec(exported.stdout)!
    expect(exported.stderr).toContain(`exporting ${summary[1]} images (${summary[3]} without labels, as negatives) and ${summary[2]} labels as yolo`)
    expect(exported.stderr).toMatch(/note: 1 EXIF-rotated images were copied upright/)
    expect((await readdir(out)).sort()).toEqual(['classes.txt', 'data.yaml', 'images', 'labels'])
    expect(await readFile(join(out, 'data.yaml'), 'utf8')).toContain(`path: ${out}`)

    const again = await runCli(['project', 'export', sourceFile, '--format', 'yolo', '--out', out])
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/is not empty; an export never overwrites files/)

    const target = await createProject(folder, source.imageFolder, 'cli-target')
    target.close()
    const refused = await runCli(['project', 'import', target.file, out, '--format', 'yolo'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/pass --add-classes to create them \(nothing was imported\)/)
    expect(countLabels(target.file)).toBe(0)

    const imported = await runCli(['project', 'import', target.file, out, '--format', 'yolo', '--reviewed', '--add-classes'])
    expect(imported.code).toBe(0)
    expect(imported.stderr).toMatch(new RegExp(`${source.reviewed.size} images in the file, ${source.reviewed.size} matched to project images`))
    expect(imported.stdout).toMatch(new RegExp(`^imported (\\d+) labels on \\d+ images, new classes zebra, cat, bird 鳥, unused, ${source.reviewed.size} newly marked reviewed; 0 items left out`))
    expect(countLabels(target.file)).toBe(Number(/^imported (\d+)/.exec(imported.stdout)![1]))
  })

  it('exports CSV with a renamed class subset, leaving out images it cannot state', async () => {
    const out = join(folder, 'csv-out')
    const exported = await runCli(['project', 'export', sourceFile, '--format', 'csv', '--out', out, '--all', '--include-empty', '--classes', 'cat=feline,zebra'])
    expect(exported.code).toBe(0)
    expect(exported.stderr).toMatch(/note: \d+ images without labels left out \(csv cannot state an image without boxes\)/)
    const rows = (await readFile(join(out, 'labels.csv'), 'utf8')).trim().split('\n')
    expect(rows[0]).toBe('filename,width,height,class,xmin,ymin,xmax,ymax')
    expect(new Set(rows.slice(1).map((row) => row.split(',')[3]))).toEqual(new Set(['feline', 'zebra']))
    expect(await readFile(join(out, 'classes.txt'), 'utf8')).toBe('feline\nzebra\n')
  })

  it('stops with a clear error on hostile XML and writes nothing', async () => {
    const input = join(folder, 'hostile')
    await rm(input, { recursive: true, force: true })
    await import('node:fs/promises').then(({ mkdir }) => mkdir(join(input, 'Annotations'), { recursive: true }))
    await writeFile(join(input, 'Annotations', 'alpha.xml'), '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><annotation><filename>alpha.jpg</filename></annotation>')
    const before = countLabels(sourceFile)
    const result = await runCli(['project', 'import', sourceFile, input, '--format', 'voc', '--add-classes'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/Annotations\/alpha\.xml declares a document type or entities/)
    expect(countLabels(sourceFile)).toBe(before)
  })

  it('rejects wrong arguments with exit code 2', async () => {
    expect((await runCli(['project', 'export', sourceFile, '--format', 'tfrecord', '--out', join(folder, 'x')])).code).toBe(2)
    expect((await runCli(['project', 'export', sourceFile, '--format', 'coco'])).stderr).toMatch(/needs --out/)
    expect((await runCli(['project', 'export', sourceFile, '--format', 'coco', '--out', join(folder, 'x'), '--split', 'train=0.5'])).code).toBe(2)
    expect((await runCli(['project', 'import', sourceFile, '--format', 'coco'])).code).toBe(2)
  })
})
