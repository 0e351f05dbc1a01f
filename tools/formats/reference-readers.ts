/**
 * Regenerates test/fixtures/formats/reference-readers.json: the test project of
 * test/integration/formats/labelled-project.ts exported as COCO and Pascal VOC, read back by
 * pycocotools' COCO() and by Python's ElementTree (expat). The test compares today's exports
 * with what those readers read, so CI needs no Python.
 *
 * pycocotools is built from the public cocoapi source with Debian's cython3, python3-numpy and
 * python3-matplotlib, outside the repository:
 *   git clone https://github.com/cocodataset/cocoapi /tmp/cocoapi
 *   (cd /tmp/cocoapi/PythonAPI && /usr/bin/python3 setup.py build_ext --inplace)
 *   npx tsx --tsconfig tsconfig.node.json tools/formats/reference-readers.ts /tmp/cocoapi/PythonAPI
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportReferenceFixture } from '../../test/integration/formats/reference-export'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const cocoapi = process.argv[2]
if (!cocoapi) {
  console.error('usage: reference-readers.ts <path of a built cocoapi/PythonAPI>')
  process.exit(2)
}
const folder = await mkdtemp(join(tmpdir(), 'reference-readers-'))
try {
  const { cocoFile, vocAnnotations } = await exportReferenceFixture(folder)
  const output = execFileSync('/usr/bin/python3', [join(repoRoot, 'tools/formats/read_exports.py'), cocoFile, vocAnnotations], {
    env: { ...process.env, PYTHONPATH: cocoapi },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  // pycocotools prints its progress ("loading annotations into memory...") on stdout before the JSON.
  const json = output.slice(output.indexOf('{'))
  const target = join(repoRoot, 'test/fixtures/formats/reference-readers.json')
  await writeFile(target, `${JSON.stringify(JSON.parse(json), null, 1)}\n`)
  console.log(`wrote ${target}`)
} finally {
  await rm(folder, { recursive: true, force: true })
}
