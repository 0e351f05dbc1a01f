/**
 * The golden fixtures (test/fixtures/golden): torchvision's own transformed inputs and the
 * detections the framework itself produced, and the comparison every golden test applies.
 * Regenerate them with /usr/bin/python3 tools/golden/make_fixtures.py.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { Detection, InputFrame, PreparedInput } from '../../src-main/core/detect/types'

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures')
const GOLDEN = join(FIXTURES, 'golden')

interface TensorEntry {
  file: string
  dtype: 'float32' | 'uint8'
  dims: number[]
  frame: InputFrame
}
interface Manifest {
  /** The source images, by name (file relative to the golden folder). */
  images: Record<string, { file: string; width: number; height: number }>
  tensors: Record<string, TensorEntry>
  detections: Record<string, string>
  cases: Array<{ model: string; tensor: string; expected: string }>
}

export const manifest = JSON.parse(readFileSync(join(GOLDEN, 'manifest.json'), 'utf8')) as Manifest

export function preparedInput(key: string): PreparedInput {
  const entry = manifest.tensors[key]!
  const bytes = gunzipSync(readFileSync(join(GOLDEN, entry.file)))
  const count = entry.dims.reduce((a, b) => a * b, 1)
  // uint8 tensors are raw pixels for graphs that take 0–1 images; /255 rounds exactly like torch's.
  const data =
    entry.dtype === 'float32'
      ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 4))
      : Float32Array.from(bytes.subarray(0, count), (v) => v / 255)
  if (data.length !== count) throw new Error(`${entry.file}: ${data.length} values, the manifest says ${count}`)
  return { data, frame: entry.frame }
}

export function expectedDetections(key: string): Detection[] {
  const file = JSON.parse(readFileSync(join(GOLDEN, manifest.detections[key]!), 'utf8')) as { detections: Detection[] }
  return file.detections
}

export interface GoldenTolerance {
  score: number
  /** Pixels, per coordinate. */
  box: number
}

/** What the CPU provider meets against torchvision. */
export const CPU_TOLERANCE: GoldenTolerance = { score: 1e-5, box: 1e-3 }

/** Same class, box and score within the tolerance, in the same order; reports the first difference. */
export function compareDetections(actual: Detection[], expected: Detection[], tolerance = CPU_TOLERANCE): string | null {
  if (actual.length !== expected.length) return `${actual.length} detections, expected ${expected.length}`
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!
    const e = expected[i]!
    const boxOff = Math.max(...a.box.map((v, j) => Math.abs(v - e.box[j]!)))
    if (a.classIndex !== e.classIndex || Math.abs(a.score - e.score) > tolerance.score || boxOff > tolerance.box) {
      return `detection ${i}: got class ${a.classIndex} score ${a.score} box [${a.box.join(', ')}], expected class ${e.classIndex} score ${e.score} box [${e.box.join(', ')}]`
    }
  }
  return null
}

function iou(a: Detection['box'], b: Detection['box']): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]))
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]))
  const inter = w * h
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
  return union > 0 ? inter / union : 0
}

/**
 * For a model computed in lower precision (float16), where near-tied scores may swap places:
 * how many of the `top` best expected detections have a detection of the same class with IoU
 * at least `minIou` and a score within `scoreTolerance`, and the worst score difference among them.
 */
export function matchTopDetections(actual: Detection[], expected: Detection[], top: number, minIou = 0.95, scoreTolerance = 0.02): { matched: number; of: number; worstScore: number } {
  let matched = 0
  let worstScore = 0
  const wanted = expected.slice(0, top)
  for (const e of wanted) {
    const candidates = actual.filter((a) => a.classIndex === e.classIndex && iou(a.box, e.box) >= minIou && Math.abs(a.score - e.score) <= scoreTolerance)
    if (candidates.length === 0) continue
    matched++
    worstScore = Math.max(worstScore, Math.min(...candidates.map((a) => Math.abs(a.score - e.score))))
  }
  return { matched, of: wanted.length, worstScore }
}
