/**
 * Saving a chart of the evaluation view as a file: the SVG as drawn (the charts use
 * presentation attributes and fixed colours, so the markup stands alone), or a PNG rendered
 * from it at twice the size for slides and reports.
 */

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg'

/** The chart's markup as a standalone SVG file. */
export function svgFileText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement
  copy.setAttribute('xmlns', SVG_NAMESPACE)
  const { width, height } = svg.viewBox.baseVal
  copy.setAttribute('width', String(width))
  copy.setAttribute('height', String(height))
  // Interaction aids (hover guides, invisible hit areas) are not part of the picture.
  for (const element of copy.querySelectorAll('[data-export="skip"]')) element.remove()
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`
}

export function saveSvg(svg: SVGSVGElement, fileName: string): void {
  download(new Blob([svgFileText(svg)], { type: 'image/svg+xml' }), `${fileName}.svg`)
}

export async function savePng(svg: SVGSVGElement, fileName: string, scale = 2): Promise<void> {
  const { width, height } = svg.viewBox.baseVal
  const url = URL.createObjectURL(new Blob([svgFileText(svg)], { type: 'image/svg+xml' }))
  try {
    const picture = new Image()
    picture.src = url
    await picture.decode()
    const canvas = document.createElement('canvas')
    canvas.width = Math.round(width * scale)
    canvas.height = Math.round(height * scale)
    const context = canvas.getContext('2d')
    if (!context) throw new Error('This window cannot draw a PNG (no 2D canvas).')
    context.drawImage(picture, 0, 0, canvas.width, canvas.height)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
    if (!blob) throw new Error('The PNG could not be encoded.')
    download(blob, `${fileName}.png`)
  } finally {
    URL.revokeObjectURL(url)
  }
}

function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own reference by now; a later tick frees ours.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
