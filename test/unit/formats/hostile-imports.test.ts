/**
 * Hostile and malformed files, one table per importer. A file that cannot be read safely or is
 * not the format at all is refused with a clear error and nothing is written; a malformed item
 * inside a readable file is reported by item and left out, while the good items import.
 */
import { mkdir, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyLabelImport, planLabelImport, readLabelSet } from '../../../src-main/core/formats/import-labels'
import type { ImportFormat } from '../../../src-main/core/formats/label-set'
import { MAX_JSON_BYTES, readLimitedText } from '../../../src-main/core/formats/readers/read-input'
import { addImages, createTemporaryProject, type TemporaryProject } from '../db/project-database-fixture'

let project: TemporaryProject
beforeEach(async () => {
  project = await createTemporaryProject('hostile-imports-')
  // Both 100×80 (see newImage).
  addImages(project.db, ['a.png', 'sub/b.png'])
})
afterEach(() => project.dispose())

type Files = Record<string, string>
interface Row {
  name: string
  files: Files
  /** The whole import is refused with this error. */
  refused?: RegExp
  /** Otherwise: the problems reported, the labels imported and the boxes clipped. */
  problems?: RegExp[]
  labels?: number
  clipped?: number
  tooSmall?: number
  invalidClass?: number
  /** The project's classes after the import, when the row checks them. */
  classes?: string[]
}

const options = { mode: 'add' as const, markReviewed: false, addClasses: true }

async function runRow(format: ImportFormat, row: Row, input: (root: string) => string): Promise<void> {
  const root = join(project.folder, 'input')
  for (const [path, text] of Object.entries(row.files)) {
    await mkdir(join(root, ...path.split('/').slice(0, -1)), { recursive: true })
    await writeFile(join(root, ...path.split('/')), text)
  }
  const count = () => project.db.prepare('SELECT (SELECT count(*) FROM annotations) + (SELECT count(*) FROM edit_gestures) + (SELECT count(*) FROM classes)').pluck().get()
  const attempt = async () => {
    const set = await readLabelSet(format, input(root))
    const plan = planLabelImport(project.db, project.folder, set, options)
    applyLabelImport(project.db, plan, options)
    return plan
  }
  if (row.refused) {
    await expect(attempt()).rejects.toThrow(row.refused)
    expect(count()).toBe(0)
    return
  }
  const plan = await attempt()
  expect(plan.problems.map((problem) => `${problem.item ?? ''}: ${problem.message}`)).toEqual(row.problems!.map((pattern) => expect.stringMatching(pattern)))
  expect(plan.problemCount).toBe(row.problems!.length)
  expect(project.db.prepare('SELECT count(*) FROM annotations WHERE deleted_at IS NULL').pluck().get()).toBe(row.labels)
  expect(plan.boxesClipped).toBe(row.clipped ?? 0)
  expect(plan.boxesTooSmall).toBe(row.tooSmall ?? 0)
  expect(plan.boxesWithInvalidClass).toBe(row.invalidClass ?? 0)
  if (row.classes) expect(project.db.prepare('SELECT name FROM classes ORDER BY id').pluck().all()).toEqual(row.classes)
}

const coco = (changes: { images?: unknown[]; annotations?: unknown[]; categories?: unknown[] } = {}) =>
  JSON.stringify({
    images: changes.images ?? [{ id: 1, file_name: 'a.png', width: 100, height: 80 }, { id: 2, file_name: 'sub/b.png', width: 100, height: 80 }],
    categories: changes.categories ?? [{ id: 7, name: 'cat' }],
    annotations: [{ id: 1, image_id: 1, category_id: 7, bbox: [10, 10, 20, 20] }, ...(changes.annotations ?? [])],
  })
const annotation = (fields: Record<string, unknown>) => ({ id: 99, image_id: 2, category_id: 7, bbox: [5, 5, 10, 10], ...fields })

const cocoRows: Row[] = [
  {
    name: 'degenerate boxes (5e-324 and 1e-7 px wide, 0.5 px high)',
    files: { 'c.json': coco({ annotations: [annotation({ bbox: [0, 0, 5e-324, 5] }), annotation({ id: 98, bbox: [0.1, 0.1, 1e-7, 5] }), annotation({ id: 97, bbox: [1, 1, 5, 0.5] })] }) },
    problems: [/box 1 of sub\/b\.png: the box is 4\.9e-324×5 px, smaller than the smallest label/, /box 2 of sub\/b\.png: the box is 1\.0e-7×5 px/, /box 3 of sub\/b\.png: the box is 5×0\.5 px/],
    labels: 1,
    tooSmall: 3,
  },
  {
    name: 'class names the API refuses (NUL, CR LF, a newline, a lone surrogate, 100,000 characters)',
    files: {
      'c.json': coco({
        categories: [
          { id: 7, name: 'cat' },
          { id: 8, name: 'bad\u0000\r\nname' },
          { id: 9, name: '\u0000' },
          { id: 10, name: 'bad\nline' },
          { id: 11, name: '\ud800' },
          { id: 12, name: 'x'.repeat(100_000) },
          { id: 13, name: '  dog  ' },
        ],
        annotations: [8, 9, 10, 11, 12, 13].map((category, index) => annotation({ id: 50 + index, category_id: category })),
      }),
    },
    problems: [
      /control characters.*left out/,
      /control characters.*left out/,
      /control characters.*left out/,
      /valid Unicode text.*left out/,
      /at most 100 characters.*left out/,
      /^class "bad\\u0000\\r\\nname": .*control characters.*; not created/,
      /^class "\\u0000": .*control characters.*; not created/,
      /^class "bad\\nline".*not created/,
      /^class .*valid Unicode.*not created/,
      /^class "x{40}….*at most 100 characters; this one has 100000; not created/,
    ],
    labels: 2,
    invalidClass: 5,
    classes: ['cat', 'dog'],
  },
  { name: 'valid file', files: { 'c.json': coco({ annotations: [annotation({})] }) }, problems: [], labels: 2 },
  { name: 'not JSON', files: { 'c.json': '{"images": [' }, refused: /not valid JSON/ },
  { name: 'NaN literal', files: { 'c.json': '{"images":[],"annotations":[{"bbox":[NaN,0,1,1]}],"categories":[]}' }, refused: /not valid JSON/ },
  { name: 'a list at the root', files: { 'c.json': '[]' }, refused: /not a COCO detection file/ },
  { name: 'no categories', files: { 'c.json': '{"images":[],"annotations":[]}' }, refused: /not a COCO detection file/ },
  { name: 'bbox with a string', files: { 'c.json': coco({ annotations: [annotation({ bbox: ['5', 5, 10, 10] })] }) }, problems: [/annotation 99: "bbox" must be four finite numbers/], labels: 1 },
  { name: 'bbox with null (NaN written by Python)', files: { 'c.json': coco({ annotations: [annotation({ bbox: [null, 5, 10, 10] })] }) }, problems: [/four finite numbers/], labels: 1 },
  { name: 'bbox of three numbers', files: { 'c.json': coco({ annotations: [annotation({ bbox: [1, 2, 3] })] }) }, problems: [/four finite numbers/], labels: 1 },
  { name: 'negative width', files: { 'c.json': coco({ annotations: [annotation({ bbox: [5, 5, -3, 10] })] }) }, problems: [/no or negative width/], labels: 1 },
  { name: 'zero height', files: { 'c.json': coco({ annotations: [annotation({ bbox: [5, 5, 3, 0] })] }) }, problems: [/no or negative height/], labels: 1 },
  { name: 'box outside the image', files: { 'c.json': coco({ annotations: [annotation({ bbox: [150, 5, 10, 10] })] }) }, problems: [/outside the image/], labels: 1 },
  { name: 'box partly outside, clipped', files: { 'c.json': coco({ annotations: [annotation({ bbox: [90, -5, 30, 20] })] }) }, problems: [], labels: 2, clipped: 1 },
  { name: 'unknown image id', files: { 'c.json': coco({ annotations: [annotation({ image_id: 42 })] }) }, problems: [/"image_id" 42 is not an image/], labels: 1 },
  { name: 'image id of the wrong type', files: { 'c.json': coco({ annotations: [annotation({ image_id: '2' })] }) }, problems: [/"image_id" "2" is not an image/], labels: 1 },
  { name: 'unknown category id', files: { 'c.json': coco({ annotations: [annotation({ category_id: 8 })] }) }, problems: [/"category_id" 8 is not a category/], labels: 1 },
  { name: 'duplicated annotation id', files: { 'c.json': coco({ annotations: [annotation({ id: 1 })] }) }, problems: [/annotation 1: the annotation id is used twice/], labels: 1 },
  {
    name: 'duplicated image id',
    files: { 'c.json': coco({ images: [{ id: 1, file_name: 'a.png', width: 100, height: 80 }, { id: 1, file_name: 'sub/b.png', width: 100, height: 80 }] }) },
    problems: [/image 1: the image id is used twice/],
    labels: 1,
  },
  { name: 'duplicated category id', files: { 'c.json': coco({ categories: [{ id: 7, name: 'cat' }, { id: 7, name: 'dog' }] }) }, problems: [/category 7: the category id is used twice/], labels: 1 },
  { name: 'category without a name', files: { 'c.json': coco({ categories: [{ id: 7, name: 'cat' }, { id: 8 }] }) }, problems: [/categories\[1\]: a category needs/], labels: 1 },
  { name: 'file_name of the wrong type', files: { 'c.json': coco({ images: [{ id: 1, file_name: 'a.png', width: 100, height: 80 }, { id: 2, file_name: 5 }] }) }, problems: [/images\[1\]: an image needs/], labels: 1 },
  { name: 'crowd region', files: { 'c.json': coco({ annotations: [annotation({ iscrowd: 1 })] }) }, problems: [/crowd region/], labels: 1 },
  { name: 'image not in the project', files: { 'c.json': coco({ images: [{ id: 1, file_name: 'a.png', width: 100, height: 80 }, { id: 2, file_name: 'elsewhere/zz.png' }], annotations: [annotation({})] }) }, problems: [/no project image matches "elsewhere\/zz.png"; its 1 boxes are left out/], labels: 1 },
  { name: 'size of the stored (un-rotated) frame', files: { 'c.json': coco({ images: [{ id: 1, file_name: 'a.png', width: 80, height: 100 }] }) }, problems: [/80×100 .* 100×80 as displayed \(the file seems to use the frame before EXIF rotation\)/], labels: 0 },
]

describe('COCO importer refuses or reports hostile files', () => {
  it.each(cocoRows.map((row) => [row.name, row] as const))('%s', (_name, row) => runRow('coco', row, (root) => join(root, 'c.json')))
  it('refuses a file over the size limit, naming the limit', async () => {
    const file = join(project.folder, 'big.json')
    await writeFile(file, 'x'.repeat(2048))
    await expect(readLimitedText(file, 1024, 'COCO JSON')).rejects.toThrow(/2048 bytes, over the 1024 bytes limit for COCO JSON files/)
  })

  it('refuses a JSON file just under 512 MiB, longer than any string, with the limit instead of "Invalid string length"', async () => {
    const file = join(project.folder, 'huge.json')
    await writeFile(file, '')
    await truncate(file, 512 * 1024 * 1024 - 1) // sparse: takes no disk
    await expect(readLimitedText(file, MAX_JSON_BYTES, 'COCO JSON')).rejects.toThrow(/over the .* limit for COCO JSON files/)
  })
})

const yoloRows: Row[] = [
  { name: 'valid labels', files: { 'classes.txt': 'cat\ndog\n', 'labels/a.txt': '0 0.5 0.5 0.2 0.2\n1 0.1 0.1 0.1 0.1\n' }, problems: [], labels: 2 },
  { name: 'no class list', files: { 'labels/a.txt': '0 0.5 0.5 0.2 0.2\n' }, refused: /neither data.yaml nor classes.txt/ },
  { name: 'data.yaml that is not YAML', files: { 'data.yaml': 'names: [cat\n  - : :' }, refused: /not valid YAML/ },
  { name: 'data.yaml names of the wrong type', files: { 'data.yaml': 'names: 5\n' }, refused: /"names" must be a list/ },
  {
    name: 'YAML alias bomb (billion laughs)',
    files: { 'data.yaml': `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\nnames: [*d]\n` },
    refused: /not valid YAML .*alias/i,
  },
  { name: 'too few fields', files: { 'classes.txt': 'cat\n', 'labels/a.txt': '0 0.5 0.5 0.2\n0 0.5 0.5 0.2 0.2\n' }, problems: [/line 1: expected "class cx cy w h"/], labels: 1 },
  { name: 'polygon line', files: { 'classes.txt': 'cat\n', 'labels/a.txt': '0 0.1 0.1 0.2 0.1 0.2 0.2 0.1 0.2\n' }, problems: [/line 1: a polygon/], labels: 0 },
  { name: 'class index out of range', files: { 'classes.txt': 'cat\n', 'labels/a.txt': '3 0.5 0.5 0.2 0.2\n' }, problems: [/class index 3 is not in the class list \(1 classes\)/], labels: 0 },
  { name: 'class that is not an index', files: { 'classes.txt': 'cat\n', 'labels/a.txt': 'cat 0.5 0.5 0.2 0.2\n-1 0.5 0.5 0.2 0.2\n' }, problems: [/"cat" is not a class index/, /"-1" is not a class index/], labels: 0 },
  { name: 'NaN and infinite values', files: { 'classes.txt': 'cat\n', 'labels/a.txt': '0 nan 0.5 0.2 0.2\n0 0.5 Infinity 0.2 0.2\n' }, problems: [/finite numbers/, /finite numbers/], labels: 0 },
  { name: 'negative and zero sizes', files: { 'classes.txt': 'cat\n', 'labels/a.txt': '0 0.5 0.5 -0.2 0.2\n0 0.5 0.5 0.2 0\n' }, problems: [/no or negative width or height/, /no or negative width or height/], labels: 0 },
  { name: 'box outside the image', files: { 'classes.txt': 'cat\n', 'labels/a.txt': '0 3 0.5 0.2 0.2\n' }, problems: [/outside the image/], labels: 0 },
  { name: 'box partly outside, clipped', files: { 'classes.txt': 'cat\n', 'labels/sub/b.txt': '0 0.95 0.5 0.2 0.2\n' }, problems: [], labels: 1, clipped: 1 },
  { name: 'label file for no project image', files: { 'classes.txt': 'cat\n', 'labels/zz.txt': '0 0.5 0.5 0.2 0.2\n' }, problems: [/no project image matches "zz"/], labels: 0 },
  {
    name: 'data.yaml naming folders outside the dataset (train, and path)',
    files: {
      'data.yaml': 'names: [cat]\ntrain: ../elsewhere/images\nval: images/val\n',
      '../elsewhere/labels/a.txt': '0 0.5 0.5 0.2 0.2\nnot a label line\n',
      'labels/val/sub/b.txt': '0 0.5 0.5 0.2 0.2\n',
    },
    problems: [/^train: .*elsewhere\/labels is outside the dataset's folder .*not read/],
    labels: 1,
  },
  {
    name: 'data.yaml whose path leaves the dataset',
    files: { 'data.yaml': 'names: [cat]\npath: ..\ntrain: images\n', 'labels/a.txt': '0 0.5 0.5 0.2 0.2\n' },
    problems: [/^path: .* is outside the dataset's folder/],
    labels: 1,
  },
]

describe('YOLO importer refuses or reports hostile files', () => {
  it.each(yoloRows.map((row) => [row.name, row] as const))('%s', (_name, row) => runRow('yolo', row, (root) => root))
})

const voc = (objects: string, head = '<annotation><filename>a.png</filename><size><width>100</width><height>80</height><depth>3</depth></size>') => `${head}${objects}</annotation>`
const object = (name: string, box: [string, string, string, string]) =>
  `<object><name>${name}</name><bndbox><xmin>${box[0]}</xmin><ymin>${box[1]}</ymin><xmax>${box[2]}</xmax><ymax>${box[3]}</ymax></bndbox></object>`

const vocRows: Row[] = [
  { name: 'valid annotation with an escaped name', files: { 'Annotations/a.xml': voc(object('cat &amp; dog', ['1', '1', '10', '10'])) }, problems: [], labels: 1 },
  {
    name: 'billion laughs (entity expansion)',
    files: {
      'Annotations/a.xml': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>${voc(object('&lol3;', ['1', '1', '10', '10']))}`,
    },
    refused: /declares a document type or entities .* refused and nothing was imported/,
  },
  {
    name: 'external entity',
    files: { 'Annotations/a.xml': `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY secret SYSTEM "file:///etc/passwd">]>${voc(object('&secret;', ['1', '1', '10', '10']))}` },
    refused: /declares a document type or entities/,
  },
  { name: 'a DTD alone', files: { 'Annotations/a.xml': `<!DOCTYPE annotation SYSTEM "voc.dtd">${voc('')}` }, refused: /declares a document type/ },
  { name: 'not well-formed', files: { 'Annotations/a.xml': '<annotation><filename>a.png</annotation>' }, refused: /not well-formed XML/ },
  { name: 'one bad file refuses the whole folder', files: { 'Annotations/a.xml': voc(object('cat', ['1', '1', '10', '10'])), 'Annotations/b.xml': '<annotation>' }, refused: /b.xml is not well-formed XML/ },
  { name: 'not an annotation', files: { 'Annotations/a.xml': '<html><body/></html>' }, problems: [/not a Pascal VOC annotation/], labels: 0 },
  { name: 'no filename', files: { 'Annotations/a.xml': '<annotation><object><name>cat</name></object></annotation>' }, problems: [/no <filename>/], labels: 0 },
  { name: 'object without a name', files: { 'Annotations/a.xml': voc(`<object>${object('', ['1', '1', '10', '10']).slice(8)}`) }, problems: [/object 1: the object has no <name>/], labels: 0 },
  { name: 'non-numeric and missing coordinates', files: { 'Annotations/a.xml': voc(object('cat', ['one', '1', '10', '10']) + '<object><name>cat</name><bndbox><xmin>1</xmin></bndbox></object>') }, problems: [/object 1: <bndbox> needs numeric/, /object 2: <bndbox> needs numeric/], labels: 0 },
  { name: 'negative size', files: { 'Annotations/a.xml': voc(object('cat', ['20', '1', '10', '10'])) }, problems: [/negative width or height/], labels: 0 },
  { name: 'box outside the image', files: { 'Annotations/a.xml': voc(object('cat', ['200', '1', '210', '10'])) }, problems: [/outside the image/], labels: 0 },
  { name: 'box partly outside, clipped', files: { 'Annotations/a.xml': voc(object('cat', ['90', '1', '130', '10'])) }, problems: [], labels: 1, clipped: 1 },
  { name: 'image not in the project', files: { 'Annotations/a.xml': voc(object('cat', ['1', '1', '10', '10']), '<annotation><filename>zz.png</filename>') }, problems: [/no project image matches "zz.png"/], labels: 0 },
]

describe('Pascal VOC importer refuses or reports hostile files', () => {
  it.each(vocRows.map((row) => [row.name, row] as const))('%s', (_name, row) => runRow('voc', row, (root) => root))
})

const labelme = (shapes: unknown[], fields: Record<string, unknown> = {}) =>
  JSON.stringify({ version: '5.4.1', flags: {}, shapes, imagePath: 'a.png', imageData: null, imageWidth: 100, imageHeight: 80, ...fields })
const rectangle = (points: unknown, fields: Record<string, unknown> = {}) => ({ label: 'cat', points, shape_type: 'rectangle', group_id: null, flags: {}, ...fields })

const labelMeRows: Row[] = [
  { name: 'valid rectangles, corners in either order', files: { 'a.json': labelme([rectangle([[1, 1], [10, 10]]), rectangle([[30, 30], [20, 20]])]) }, problems: [], labels: 2 },
  { name: 'not JSON', files: { 'a.json': '{"shapes": ' }, refused: /not valid JSON/ },
  { name: 'JSON that is not LabelMe', files: { 'a.json': '{"hello": 1}' }, problems: [/not a LabelMe file/], labels: 0 },
  { name: 'polygon shape', files: { 'a.json': labelme([rectangle([[1, 1], [10, 10], [5, 20]], { shape_type: 'polygon' })]) }, problems: [/shape 1: a "polygon" shape is not a box/], labels: 0 },
  { name: 'three points', files: { 'a.json': labelme([rectangle([[1, 1], [10, 10], [5, 20]])]) }, problems: [/two \[x, y\] pairs/], labels: 0 },
  { name: 'null (NaN) coordinate and string coordinate', files: { 'a.json': labelme([rectangle([[null, 1], [10, 10]]), rectangle([['1', 1], [10, 10]])]) }, problems: [/finite numbers/, /finite numbers/], labels: 0 },
  { name: 'zero area', files: { 'a.json': labelme([rectangle([[5, 1], [5, 10]])]) }, problems: [/no area/], labels: 0 },
  { name: 'no label', files: { 'a.json': labelme([rectangle([[1, 1], [10, 10]], { label: '  ' })]) }, problems: [/no "label"/], labels: 0 },
  { name: 'box outside the image', files: { 'a.json': labelme([rectangle([[-30, 1], [-10, 10]])]) }, problems: [/outside the image/], labels: 0 },
  { name: 'box partly outside, clipped', files: { 'a.json': labelme([rectangle([[-5, 1], [10, 10]])]) }, problems: [], labels: 1, clipped: 1 },
  { name: 'image path that leaves the folder', files: { 'a.json': labelme([rectangle([[1, 1], [10, 10]])], { imagePath: '../../../../etc/zz.png' }) }, problems: [/no project image matches/], labels: 0 },
  { name: 'image matched by file name when its path differs', files: { 'x/y.json': labelme([rectangle([[1, 1], [10, 10]])], { imagePath: 'b.png' }) }, problems: [], labels: 1 },
]

describe('LabelMe importer refuses or reports hostile files', () => {
  it.each(labelMeRows.map((row) => [row.name, row] as const))('%s', (_name, row) => runRow('labelme', row, (root) => root))
})

describe('YOLO data.yaml', () => {
  it('resolves the split folders against its path, falling back to its own folder when that path is gone or leaves the dataset', async () => {
    const root = join(project.folder, 'moved')
    await mkdir(join(root, 'labels', 'val'), { recursive: true })
    await writeFile(join(root, 'labels', 'val', 'a.txt'), '0 0.5 0.5 0.2 0.2\n')
    await writeFile(join(root, 'data.yaml'), 'path: /nowhere/any/more\ntrain: images/train\nval: images/val\nnames: {0: cat}\n')
    const set = await readLabelSet('yolo', root)
    expect(set.images.map((image) => image.references)).toEqual([['a']])
    const elsewhere = join(project.folder, 'elsewhere')
    await mkdir(join(elsewhere, 'labels', 'train'), { recursive: true })
    await writeFile(join(elsewhere, 'labels', 'train', 'b.txt'), '0 0.5 0.5 0.2 0.2\n')
    await writeFile(join(root, 'data.yaml'), `path: ${elsewhere}\ntrain: images/train\nval: images/val\nnames: [cat]\n`)
    const outside = await readLabelSet('yolo', root)
    expect(outside.images.map((image) => image.references)).toEqual([['a']])
    expect(outside.problems.items.map((problem) => problem.message)).toEqual([expect.stringMatching(/elsewhere is outside the dataset's folder/)])
    await mkdir(join(root, 'inside', 'labels', 'train'), { recursive: true })
    await writeFile(join(root, 'inside', 'labels', 'train', 'b.txt'), '0 0.5 0.5 0.2 0.2\n')
    await writeFile(join(root, 'data.yaml'), 'path: inside\ntrain: images/train\nval: images/val\nnames: [cat]\n')
    expect((await readLabelSet('yolo', root)).images.map((image) => image.references)).toEqual([['b']])
  })
})
