/**
 * IEEE 754 half precision at the graph's boundary: a float16 model takes its input as float16
 * and gives its outputs as float16, while preparation and decoding stay float32. Converting
 * in rounds to nearest, ties to even (as `torch.Tensor.half()` and numpy do); converting out is
 * exact (every float16 value is a float32 value). Node 20 has no Float16Array, so ONNX
 * Runtime takes and gives the raw bits as a Uint16Array.
 */

const scratch = new Float32Array(1)
const scratchBits = new Uint32Array(scratch.buffer)

/** The float16 bits nearest to `value` (ties to even; overflow to ±Infinity; NaN stays NaN). */
export function float16Bits(value: number): number {
  scratch[0] = value
  const bits = scratchBits[0]!
  const sign = (bits >>> 16) & 0x8000
  const exponent = (bits >>> 23) & 0xff
  const mantissa = bits & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0)
  const halfExponent = exponent - 127 + 15
  if (halfExponent >= 31) return sign | 0x7c00
  if (halfExponent <= 0) {
    // Subnormal in float16 (or zero): shift the implicit-one mantissa into place, then round.
    if (halfExponent < -10) return sign
    const full = mantissa | 0x800000
    const shift = 14 - halfExponent
    let half = full >>> shift
    const rest = full & ((1 << shift) - 1)
    const halfway = 1 << (shift - 1)
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++
    return sign | half
  }
  let half = (halfExponent << 10) | (mantissa >>> 13)
  const rest = mantissa & 0x1fff
  // A carry out of the mantissa bumps the exponent, which is right (up to Infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++
  return sign | half
}

/** Every float16 bit pattern's float32 value, built once (256 KB). */
let decodeTable: Float32Array | null = null

function float16Table(): Float32Array {
  if (decodeTable) return decodeTable
  const table = new Float32Array(65536)
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1
    const exponent = (bits >>> 10) & 0x1f
    const mantissa = bits & 0x3ff
    table[bits] =
      exponent === 0
        ? sign * mantissa * 2 ** -24
        : exponent === 31
          ? mantissa === 0
            ? sign * Infinity
            : NaN
          : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
  }
  decodeTable = table
  return table
}

/**
 * float32 → float16 bits, into `out` when given (same length). The rounding of float16Bits,
 * written out over the raw bits: this runs on millions of values an image.
 */
export function toFloat16(values: Float32Array, out = new Uint16Array(values.length)): Uint16Array {
  if (out.length !== values.length) throw new RangeError(`toFloat16: ${values.length} values into ${out.length} slots`)
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length)
  for (let i = 0; i < words.length; i++) {
    const bits = words[i]!
    const sign = (bits >>> 16) & 0x8000
    const exponent = (bits >>> 23) & 0xff
    const halfExponent = exponent - 112
    if (halfExponent > 0 && halfExponent < 31) {
      // The common case: a normal float16. Round the 13 dropped bits to nearest, ties to even.
      const mantissa = bits & 0x7fffff
      const half = (halfExponent << 10) | (mantissa >>> 13)
      const rest = mantissa & 0x1fff
      out[i] = sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1) ? 1 : 0))
    } else {
      out[i] = float16Bits(values[i]!)
    }
  }
  return out
}

/** float16 bits → float32 (exact), into `out` when given (same length). */
export function fromFloat16(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  if (out.length !== bits.length) throw new RangeError(`fromFloat16: ${bits.length} values into ${out.length} slots`)
  const table = float16Table()
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!
  return out
}
