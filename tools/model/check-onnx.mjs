// Round-trip check of an exported model: runs it in onnxruntime-node on the reference inputs
// written by export.py and compares names, shapes and values with PyTorch's outputs.
//   node tools/model/check-onnx.mjs <model.onnx> <reference.json>
import { readFileSync } from 'node:fs'
import * as ort from 'onnxruntime-node'

const [modelPath, referencePath] = process.argv.slice(2)
if (!modelPath || !referencePath) {
  console.error('usage: node check-onnx.mjs <model.onnx> <reference.json>')
  process.exit(2)
}
const session = await ort.InferenceSession.create(modelPath)
const expectNames = (actual, wanted, what) => {
  if (JSON.stringify(actual) !== JSON.stringify(wanted)) throw new Error(`${what} are ${actual}, expected ${wanted}`)
}
expectNames(session.inputNames, ['images'], 'inputs')
expectNames(session.outputNames, ['cls_logits', 'bbox_regression'], 'outputs')

let worst = 0
for (const c of JSON.parse(readFileSync(referencePath, 'utf8'))) {
  const images = new ort.Tensor('float32', Float32Array.from(c.input), c.shape)
  const out = await session.run({ images })
  for (const [name, shape, values] of [['cls_logits', c.clsShape, c.cls], ['bbox_regression', c.boxShape, c.box]]) {
    const t = out[name]
    expectNames(t.dims, shape, `${name} dims for input ${c.shape}`)
    let diff = 0
    for (let i = 0; i < values.length; i++) diff = Math.max(diff, Math.abs(t.data[i] - values[i]))
    worst = Math.max(worst, diff)
    console.log(`input ${c.shape.join('x')}: ${name} [${t.dims.join(', ')}] max |onnx - torch| = ${diff.toExponential(2)}`)
  }
}
if (worst > 1e-3) throw new Error(`outputs differ from PyTorch by up to ${worst}`)
console.log('ok')
