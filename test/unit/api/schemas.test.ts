import { describe, expect, it } from 'vitest'
import { apiMethodNames, apiMethods, type ApiMethod } from '@shared/api/methods'

/** Arguments every method must accept. */
const validArguments: Record<ApiMethod, unknown[]> = {
  'app.info': [{}],
  'project.create': [
    { imageFolder: '/data/images' },
    { imageFolder: 'C:\\data\\images', projectFile: 'D:/projects/cats.rwproj', name: 'Cats' },
    { imageFolder: '\\\\server\\share\\images', name: '  spaced name  ' },
  ],
  'project.open': [{ projectFile: '/data/images/images.rwproj' }],
  'project.close': [{}],
  'project.current': [{}],
  'project.recent': [{}],
  'images.list': [
    { offset: 0, limit: 1 },
    { offset: 9999, limit: 1000 },
  ],
  'images.get': [{ imageId: 1 }, { imageId: Number.MAX_SAFE_INTEGER }],
  'dialog.pickPath': [{ kind: 'folder' }, { kind: 'project-file', title: 'Open a project' }],
  'labels.export': [
    { format: 'coco', out: '/data/export' },
    { format: 'yolo', out: 'C:\\exports\\yolo', allImages: true, includeEmpty: true, split: 'train=0.8,val=0.2', images: 'copy' },
  ],
  'labels.planExport': [{ format: 'coco' }, { format: 'yolo', allImages: true, includeEmpty: false, reviewedNegatives: false, images: 'none' }],
  'jobs.active': [{}],
  'jobs.cancel': [{ jobId: 1 }],
  'training.models': [{}],
  'training.start': [{ out: '/models/birds.onnx' }, { out: '/models/b.onnx', baseModel: '/m/base.onnx', baseConfig: '/m/base.json', epochs: 3 }],
  'labels.planImport': [{ format: 'coco', input: '/data/labels.json' }, { format: 'yolo', input: '/data/yolo', mode: 'replace', markReviewed: true, addClasses: true }],
  'labels.import': [{ format: 'voc', input: 'C:\\data\\voc' }],
  'project.rescan': [{}],
  'project.stats': [{}],
  'images.grid': [
    { offset: 0, limit: 100 },
    { offset: 10, limit: 1000, filter: {} },
    { offset: 0, limit: 50, filter: { statuses: ['new', 'error'] } },
    { offset: 0, limit: 50, filter: { statuses: [] } },
    { offset: 0, limit: 50, filter: { statuses: ['new', 'detected', 'reviewed', 'error'], hasErrors: true, classId: 3 } },
  ],
  'classes.list': [{}],
  'detections.forImage': [{ imageId: 1 }, { imageId: Number.MAX_SAFE_INTEGER }],
  'runs.start': [
    { scope: 'unprocessed' },
    { scope: 'all', decodeCutoff: 0, provider: 'cpu' },
    { scope: 'all', decodeCutoff: 1, provider: 'auto', modelPath: '/models/shapes.onnx' },
    { scope: 'unprocessed', provider: 'cuda', modelPath: 'C:\\models\\shapes.onnx' },
    { scope: 'unprocessed', provider: 'webgpu' },
    { scope: 'all', projectFile: '/projects/shapes.rwproj' },
  ],
  'runs.resume': [{ runId: 1 }, { runId: Number.MAX_SAFE_INTEGER }, { runId: 2, projectFile: 'C:\\projects\\shapes.rwproj' }],
  'runs.cancel': [{ runId: 7 }, { runId: 7, projectFile: '/projects/shapes.rwproj' }],
  'runs.list': [{}],
  'runs.active': [{}],
  'labels.forImage': [{ imageId: 1 }],
  'labels.edit': [
    { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 2, box: [0, 0, 10.5, 20] }] },
    { editorId: 'f3a9c1d2e4b5a6c7', imageId: 1, command: 'draw', changes: [{ op: 'delete', labelId: 2 }] },
    { imageId: 1, command: 'accept-suggestion', changes: [{ op: 'create', classId: 2, box: [1, 1, 2, 2], detectionId: 9 }] },
    {
      imageId: 3,
      command: 'move',
      changes: [
        { op: 'update', labelId: 4, classId: 2, box: [5, 5, 5, 5] },
        { op: 'delete', labelId: 5 },
      ],
    },
  ],
  'labels.undo': [{}, { editorId: 'f3a9c1d2e4b5a6c7' }],
  'labels.redo': [{}, { editorId: 'window_1-abcdef' }],
  'labels.history': [{}, { editorId: 'f3a9c1d2e4b5a6c7f3a9c1d2e4b5a6c7' }],
  'images.setReviewed': [{ imageId: 1, reviewed: true }, { imageId: 2, reviewed: false }],
  'images.nextUnreviewed': [{ afterIndex: -1 }, { afterIndex: 10, filter: { classId: 2 } }],
  'images.positionOf': [{ imageId: 3 }, { imageId: 3, filter: { statuses: ['reviewed'] } }],
  'labelThresholds.get': [{}],
  'labelThresholds.set': [{ score: 0.5 }, { score: 1, perClass: { '3': 0.25, '12': 0.9 } }],
  'classes.create': [{ name: 'person' }, { name: ' traffic light ', color: '#A0b1C2' }],
  'classes.update': [{ classId: 1, name: 'cat' }, { classId: 1, color: '#000000' }, { classId: 2 }],
  'classes.merge': [{ classId: 1, intoClassId: 2 }],
  'evaluation.evaluate': [{ runId: 1 }, { runId: 1, compareRunId: 2, folder: 'site-a/day 2', targetPrecision: 0.8 }, { runId: 3, folder: '' }],
  'evaluation.images': [
    { runId: 1, selection: { kind: 'cell', row: 0, column: 3 } },
    { runId: 1, compareRunId: 2, folder: 'val', selection: { kind: 'detections', classId: null, outcome: 'falsePositive', minScore: 0.9, maxScore: 1 } },
    { runId: 1, selection: { kind: 'missed', classId: 4, minScore: 0.5 } },
  ],
  'evaluation.forImage': [{ runId: 1, imageId: 2 }],
}

const hugeString = 'x'.repeat(100_000)
const prototypeKeys = JSON.parse('{"__proto__": {"polluted": true}}') as unknown
const constructorKeys = { constructor: { prototype: { polluted: true } } }

/** Arguments every method must reject, with a short reason for the test name. */
const hostileArguments: Record<ApiMethod, Array<[string, unknown]>> = {
  'app.info': [
    ['an extra key', { extra: 1 }],
    ['a __proto__ key', prototypeKeys],
    ['null', null],
    ['an array', []],
  ],
  'project.create': [
    ['no image folder', {}],
    ['a relative path', { imageFolder: 'images' }],
    ['a dot-relative path', { imageFolder: '../images' }],
    ['a NUL byte', { imageFolder: '/data/im\0ages' }],
    ['a huge path', { imageFolder: `/${hugeString}` }],
    ['a number as path', { imageFolder: 42 }],
    ['a relative project file', { imageFolder: '/data', projectFile: 'p.rwproj' }],
    ['an empty name', { imageFolder: '/data', name: '   ' }],
    ['a control character in the name', { imageFolder: '/data', name: 'a\nb' }],
    ['a huge name', { imageFolder: '/data', name: hugeString }],
    ['an extra key', { imageFolder: '/data', overwrite: true }],
    ['a __proto__ key', { imageFolder: '/data', ...(prototypeKeys as object) }],
    ['a constructor key', { imageFolder: '/data', ...constructorKeys }],
    ['a file URL', { imageFolder: 'file:///data/images' }],
  ],
  'project.open': [
    ['a relative path', { projectFile: 'x.rwproj' }],
    ['an empty path', { projectFile: '' }],
    ['a NUL byte', { projectFile: '/x\0.rwproj' }],
    ['an array', { projectFile: ['/x.rwproj'] }],
    ['a string instead of an object', '/x.rwproj'],
  ],
  'project.close': [['an extra key', { force: true }]],
  'project.current': [['a __proto__ key', prototypeKeys]],
  'project.recent': [['a string', 'recent']],
  'images.list': [
    ['a negative offset', { offset: -1, limit: 10 }],
    ['a float offset', { offset: 1.5, limit: 10 }],
    ['a zero limit', { offset: 0, limit: 0 }],
    ['a huge limit', { offset: 0, limit: 1_000_000 }],
    ['an unsafe offset', { offset: 2 ** 60, limit: 10 }],
    ['NaN', { offset: Number.NaN, limit: 10 }],
    ['Infinity', { offset: Number.POSITIVE_INFINITY, limit: 10 }],
    ['numbers as strings', { offset: '0', limit: '10' }],
    ['a missing limit', { offset: 0 }],
  ],
  'images.get': [
    ['id zero', { imageId: 0 }],
    ['a negative id', { imageId: -3 }],
    ['a float id', { imageId: 1.25 }],
    ['a huge id', { imageId: 2 ** 64 }],
    ['a string id', { imageId: '1' }],
    ['a path as id', { imageId: '../../etc/passwd' }],
    ['an extra key', { imageId: 1, path: '/etc/passwd' }],
  ],
  'labels.export': [
    ['no folder', { format: 'coco' }],
    ['a relative folder', { format: 'coco', out: 'export' }],
    ['an unknown format', { format: 'tfrecord', out: '/data/export' }],
    ['an unknown image mode', { format: 'coco', out: '/data/export', images: 'move' }],
    ['a huge split', { format: 'coco', out: '/data/export', split: hugeString }],
    ['an extra key', { format: 'coco', out: '/data/export', overwrite: true }],
  ],
  'labels.planExport': [
    ['no format', {}],
    ['a destination (planning writes nothing)', { format: 'coco', out: '/data/export' }],
    ['negatives as a string', { format: 'coco', reviewedNegatives: 'yes' }],
  ],
  'jobs.active': [['an extra key', { extra: 1 }]],
  'training.models': [['an extra key', { extra: 1 }]],
  'training.start': [
    ['no out', {}],
    ['a relative out', { out: 'model.onnx' }],
    ['zero epochs', { out: '/m.onnx', epochs: 0 }],
    ['fractional epochs', { out: '/m.onnx', epochs: 1.5 }],
    ['an extra key', { out: '/m.onnx', learningRate: 1 }],
  ],
  'jobs.cancel': [
    ['no job id', {}],
    ['a job id that is not a positive integer', { jobId: 0 }],
    ['a job id as a string', { jobId: '1' }],
  ],
  'labels.planImport': [
    ['no input', { format: 'coco' }],
    ['a relative input', { format: 'coco', input: 'labels.json' }],
    ['CSV, which is export only', { format: 'csv', input: '/data/labels.csv' }],
    ['an unknown mode', { format: 'coco', input: '/data/labels.json', mode: 'merge' }],
  ],
  'labels.import': [['a string flag', { format: 'coco', input: '/data/labels.json', addClasses: 'yes' }]],
  'dialog.pickPath': [
    ['an unknown kind', { kind: 'anything' }],
    ['a huge title', { kind: 'folder', title: hugeString }],
    ['an extra default path', { kind: 'folder', defaultPath: '/etc' }],
  ],
  'project.rescan': [
    ['a folder to rescan', { imageFolder: '/etc' }],
    ['a __proto__ key', prototypeKeys],
  ],
  'project.stats': [
    ['an extra key', { runId: 1 }],
    ['a number', 5],
  ],
  'images.grid': [
    ['no limit', { offset: 0 }],
    ['a huge limit', { offset: 0, limit: 100_000 }],
    ['a negative offset', { offset: -5, limit: 10 }],
    ['an unknown status', { offset: 0, limit: 10, filter: { statuses: ['deleted'] } }],
    ['SQL in a status', { offset: 0, limit: 10, filter: { statuses: ["new') OR 1=1 --"] } }],
    ['too many statuses', { offset: 0, limit: 10, filter: { statuses: ['new', 'new', 'new', 'new', 'new'] } }],
    ['a status string instead of a list', { offset: 0, limit: 10, filter: { statuses: 'new' } }],
    ['hasErrors as a string', { offset: 0, limit: 10, filter: { hasErrors: 'true' } }],
    ['class id zero', { offset: 0, limit: 10, filter: { classId: 0 } }],
    ['a float class id', { offset: 0, limit: 10, filter: { classId: 2.5 } }],
    ['an unknown filter key', { offset: 0, limit: 10, filter: { missing: true } }],
    ['raw SQL as filter', { offset: 0, limit: 10, filter: { where: '1=1' } }],
    ['a filter that is a string', { offset: 0, limit: 10, filter: 'status = new' }],
    ['a __proto__ key in the filter', { offset: 0, limit: 10, filter: prototypeKeys }],
  ],
  'classes.list': [['an extra key', { includeDeleted: true }]],
  'detections.forImage': [
    ['no image id', {}],
    ['id zero', { imageId: 0 }],
    ['a string id', { imageId: '3' }],
    ['a huge id', { imageId: 2 ** 60 }],
    ['an extra run id', { imageId: 1, runId: 2 }],
  ],
  'labels.forImage': [['a string id', { imageId: 'x' }]],
  'labels.edit': [
    ['no changes', { imageId: 1, command: 'draw', changes: [] }],
    ['an unknown command', { imageId: 1, command: 'rm -rf', changes: [{ op: 'delete', labelId: 1 }] }],
    ['an inverted box', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 1, box: [10, 0, 5, 5] }] }],
    ['a NaN coordinate', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 1, box: [0, 0, Number.NaN, 5] }] }],
    ['an infinite coordinate', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 1, box: [0, 0, Number.POSITIVE_INFINITY, 5] }] }],
    ['a huge coordinate', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 1, box: [0, 0, 1e300, 5] }] }],
    ['a box of three numbers', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 1, box: [0, 0, 5] }] }],
    ['an unknown op', { imageId: 1, command: 'draw', changes: [{ op: 'drop', labelId: 1 }] }],
    ['an origin smuggled in', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: 1, box: [0, 0, 1, 1], origin: 'import' }] }],
    ['too many changes', { imageId: 1, command: 'delete', changes: Array.from({ length: 10_001 }, () => ({ op: 'delete', labelId: 1 })) }],
    ['a class id string', { imageId: 1, command: 'draw', changes: [{ op: 'create', classId: '1', box: [0, 0, 1, 1] }] }],
    ['an empty editor id', { editorId: '', imageId: 1, command: 'delete', changes: [{ op: 'delete', labelId: 1 }] }],
    ['an editor id with SQL in it', { editorId: "a'; DROP TABLE x;--", imageId: 1, command: 'delete', changes: [{ op: 'delete', labelId: 1 }] }],
  ],
  'labels.undo': [
    ['an image id', { imageId: 1 }],
    ['a short editor id', { editorId: 'abc' }],
    ['an editor id that is a number', { editorId: 12345678 }],
  ],
  'labels.redo': [['a number', 1], ['an overlong editor id', { editorId: 'a'.repeat(65) }]],
  'labels.history': [['an extra key', { all: true }], ['an editor id with spaces', { editorId: 'my window 1' }]],
  'images.setReviewed': [
    ['no flag', { imageId: 1 }],
    ['a string flag', { imageId: 1, reviewed: 'yes' }],
  ],
  'images.positionOf': [
    ['no image id', { filter: {} }],
    ['an unknown filter key', { imageId: 1, filter: { where: '1=1' } }],
  ],
  'images.nextUnreviewed': [
    ['an index below -1', { afterIndex: -2 }],
    ['a float index', { afterIndex: 1.5 }],
  ],
  'labelThresholds.get': [['an extra key', { classId: 1 }]],
  'labelThresholds.set': [
    ['a zero score', { score: 0 }],
    ['a score above 1', { score: 1.01 }],
    ['a class name as key', { score: 0.5, perClass: { cat: 0.5 } }],
    ['a per-class score of 2', { score: 0.5, perClass: { '1': 2 } }],
    ['a __proto__ key', { score: 0.5, ...(prototypeKeys as object) }],
  ],
  'classes.create': [
    ['an empty name', { name: '  ' }],
    ['a control character', { name: 'a\tb' }],
    ['a huge name', { name: hugeString }],
    ['a colour name', { name: 'x', color: 'red' }],
  ],
  'classes.update': [
    ['no class id', { name: 'x' }],
    ['a bad colour', { classId: 1, color: '#12345' }],
  ],
  'classes.merge': [
    ['no target', { classId: 1 }],
    ['a string target', { classId: 1, intoClassId: '2' }],
  ],
  'runs.start': [
    ['no scope', {}],
    ['an unknown scope', { scope: 'everything' }],
    ['a threshold above 1', { scope: 'all', decodeCutoff: 1.5 }],
    ['a negative threshold', { scope: 'all', decodeCutoff: -0.1 }],
    ['a NaN threshold', { scope: 'all', decodeCutoff: Number.NaN }],
    ['a threshold as a string', { scope: 'all', decodeCutoff: '0.5' }],
    ['an unknown provider', { scope: 'all', provider: 'tpu' }],
    ['a relative model path', { scope: 'all', modelPath: 'models/x.onnx' }],
    ['a NUL byte in the model path', { scope: 'all', modelPath: '/models/x\0.onnx' }],
    ['a huge model path', { scope: 'all', modelPath: `/${hugeString}` }],
    ['a model URL', { scope: 'all', modelPath: 'https://example.com/x.onnx' }],
    ['an extra key', { scope: 'all', threads: 64 }],
    ['a relative project file', { scope: 'all', projectFile: 'shapes.rwproj' }],
    ['a __proto__ key', { scope: 'all', ...(prototypeKeys as object) }],
  ],
  'runs.resume': [
    ['no run id', {}],
    ['run id zero', { runId: 0 }],
    ['a negative run id', { runId: -1 }],
    ['a string run id', { runId: '1' }],
    ['an extra model path', { runId: 1, modelPath: '/x.onnx' }],
  ],
  'runs.cancel': [
    ['no run id', {}],
    ['a float run id', { runId: 1.5 }],
    ['an array of ids', { runId: [1, 2] }],
    ['a project file that is not a string', { runId: 1, projectFile: 42 }],
  ],
  'runs.list': [['a limit', { limit: 10 }]],
  'runs.active': [
    ['null', null],
    ['an array', []],
  ],
  'evaluation.evaluate': [
    ['no run', {}],
    ['the same run twice', { runId: 1, compareRunId: 1 }],
    ['a parent folder', { runId: 1, folder: '../elsewhere' }],
    ['an absolute folder', { runId: 1, folder: '/etc' }],
    ['a trailing slash', { runId: 1, folder: 'val/' }],
    ['a huge folder', { runId: 1, folder: hugeString }],
    ['a precision above 1', { runId: 1, targetPrecision: 1.5 }],
    ['an extra key', { runId: 1, sql: 'DROP TABLE images' }],
  ],
  'evaluation.images': [
    ['no selection', { runId: 1 }],
    ['an unknown kind', { runId: 1, selection: { kind: 'everything' } }],
    ['a negative row', { runId: 1, selection: { kind: 'cell', row: -1, column: 0 } }],
    ['a fractional column', { runId: 1, selection: { kind: 'cell', row: 0, column: 0.5 } }],
    ['a score above 1', { runId: 1, selection: { kind: 'missed', classId: null, minScore: 2 } }],
    ['a string class', { runId: 1, selection: { kind: 'detections', classId: '1', outcome: 'truePositive', minScore: 0 } }],
  ],
  'evaluation.forImage': [
    ['no image', { runId: 1 }],
    ['a string image id', { runId: 1, imageId: '2' }],
    ['a zero run id', { runId: 0, imageId: 2 }],
  ],
}

describe('API argument schemas', () => {
  it('covers every declared method in these tables', () => {
    expect(Object.keys(validArguments).sort()).toEqual([...apiMethodNames].sort())
    expect(Object.keys(hostileArguments).sort()).toEqual([...apiMethodNames].sort())
  })

  for (const method of apiMethodNames) {
    describe(method, () => {
      for (const args of validArguments[method]) {
        it(`accepts ${JSON.stringify(args)}`, () => {
          const result = apiMethods[method].args.safeParse(args)
          expect(result.error?.issues).toBeUndefined()
          expect(result.success).toBe(true)
        })
      }
      for (const [reason, args] of hostileArguments[method]) {
        it(`rejects ${reason}`, () => {
          const result = apiMethods[method].args.safeParse(args)
          expect(result.success).toBe(false)
        })
      }
    })
  }

  it('never lets a __proto__ key reach the parsed value or Object.prototype', () => {
    const parsed = apiMethods['images.get'].args.safeParse({ imageId: 5 })
    expect(parsed.success).toBe(true)
    apiMethods['project.create'].args.safeParse({ imageFolder: '/data', ...(prototypeKeys as object) })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('trims a project name', () => {
    const parsed = apiMethods['project.create'].args.parse({ imageFolder: '/data', name: '  Cats  ' })
    expect(parsed.name).toBe('Cats')
  })
})
