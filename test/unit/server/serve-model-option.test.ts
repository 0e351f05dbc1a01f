import { describe, expect, it } from 'vitest'
import { parseServeOptions } from '../../../src-main/server/serve-options'

describe('serve --model', () => {
  it('leaves the model unset (the bundled one) by default', () => {
    expect(parseServeOptions([], {}).modelPath).toBeUndefined()
  })

  it('reads --model in both spellings, as an absolute path', () => {
    expect(parseServeOptions(['--model', '/models/shapes.onnx'], {}).modelPath).toBe('/models/shapes.onnx')
    expect(parseServeOptions(['--model=/models/other.onnx'], {}).modelPath).toBe('/models/other.onnx')
    expect(parseServeOptions(['--model', 'relative/m.onnx'], {}).modelPath).toBe(`${process.cwd()}/relative/m.onnx`)
  })

  it('takes RW_MODEL unless the flag overrides it', () => {
    expect(parseServeOptions([], { RW_MODEL: '/env/model.onnx' }).modelPath).toBe('/env/model.onnx')
    expect(parseServeOptions(['--model', '/flag.onnx'], { RW_MODEL: '/env/model.onnx' }).modelPath).toBe('/flag.onnx')
  })

  it('refuses --model without a value', () => {
    expect(() => parseServeOptions(['--model'], {})).toThrow(/--model needs a value/)
  })
})
