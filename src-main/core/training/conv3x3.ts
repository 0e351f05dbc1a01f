/**
 * The 3×3, stride 1, padding 1 convolution that ends each RetinaNet head, forward and
 * backward, for one image in CHW layout. Written as im2col + matrix products: the columns of an
 * image's features are built once and serve the forward pass, the weight gradient and every
 * epoch (the features under the trained layer do not change while only this layer learns).
 */

export interface ConvShape {
  inChannels: number
  outChannels: number
  height: number
  width: number
}

/** Length of the im2col matrix of one feature map: [inChannels·9 × height·width]. */
export function columnLength(shape: Pick<ConvShape, 'inChannels' | 'height' | 'width'>): number {
  return shape.inChannels * 9 * shape.height * shape.width
}

/**
 * im2col: row (c·9 + ky·3 + kx) holds input channel c shifted by (ky − 1, kx − 1), zero outside,
 * so that output = weight[O × C·9] · columns[C·9 × H·W] + bias.
 */
export function imageToColumns(
  features: Float32Array,
  shape: Pick<ConvShape, 'inChannels' | 'height' | 'width'>,
  columns: Float32Array = new Float32Array(columnLength(shape)),
): Float32Array {
  const { inChannels, height, width } = shape
  const plane = height * width
  let row = 0
  for (let c = 0; c < inChannels; c++) {
    const channel = c * plane
    for (let ky = 0; ky < 3; ky++) {
      for (let kx = 0; kx < 3; kx++, row++) {
        const rowStart = row * plane
        for (let y = 0; y < height; y++) {
          const sourceY = y + ky - 1
          const outRow = rowStart + y * width
          if (sourceY < 0 || sourceY >= height) {
            columns.fill(0, outRow, outRow + width)
            continue
          }
          const sourceRow = channel + sourceY * width
          for (let x = 0; x < width; x++) {
            const sourceX = x + kx - 1
            columns[outRow + x] = sourceX >= 0 && sourceX < width ? features[sourceRow + sourceX]! : 0
          }
        }
      }
    }
  }
  return columns
}

/** output[O × H·W] = weight[O × C·9] · columns + bias. */
export function convolveForward(
  columns: Float32Array,
  weight: Float32Array,
  bias: Float32Array,
  shape: ConvShape,
  output: Float32Array = new Float32Array(shape.outChannels * shape.height * shape.width),
): Float32Array {
  const plane = shape.height * shape.width
  const depth = shape.inChannels * 9
  for (let o = 0; o < shape.outChannels; o++) {
    const outStart = o * plane
    output.fill(bias[o]!, outStart, outStart + plane)
    const weightRow = o * depth
    // Row-by-row accumulation reads `columns` sequentially, which is what keeps this fast in JS.
    for (let r = 0; r < depth; r++) {
      const w = weight[weightRow + r]!
      if (w === 0) continue
      const columnRow = r * plane
      for (let i = 0; i < plane; i++) output[outStart + i]! += w * columns[columnRow + i]!
    }
  }
  return output
}

/**
 * Adds this image's weight and bias gradients: dW[O × C·9] += dOut[O × H·W] · columnsᵀ,
 * db[O] += Σ dOut.
 */
export function accumulateWeightGradient(
  columns: Float32Array,
  outputGradient: Float32Array,
  shape: ConvShape,
  weightGradient: Float32Array,
  biasGradient: Float32Array,
): void {
  const plane = shape.height * shape.width
  const depth = shape.inChannels * 9
  for (let o = 0; o < shape.outChannels; o++) {
    const gradientStart = o * plane
    let biasSum = 0
    for (let i = 0; i < plane; i++) biasSum += outputGradient[gradientStart + i]!
    biasGradient[o]! += biasSum
    if (biasSum === 0 && allZero(outputGradient, gradientStart, plane)) continue
    const weightRow = o * depth
    for (let r = 0; r < depth; r++) {
      const columnRow = r * plane
      let sum = 0
      for (let i = 0; i < plane; i++) sum += outputGradient[gradientStart + i]! * columns[columnRow + i]!
      weightGradient[weightRow + r]! += sum
    }
  }
}

function allZero(values: Float32Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (values[i] !== 0) return false
  return true
}
