/**
 * LabelMe: one JSON per image (`[<split>/]<stem>.json`) with rectangle shapes given by two
 * corner points, beside the image when images are copied or linked. `imagePath` is relative to
 * the JSON file, as LabelMe writes it; without images it points at the original file.
 */
import { join, relative, sep } from 'node:path'
import { dirname } from 'node:path/posix'
import type { ExportImage } from '../label-set'
import { classListText, formatNumber, type LabelWriter, type LabelWriterContext } from './label-writer'

export const LABELME_VERSION = '5.4.1'

export function createLabelMeWriter(context: LabelWriterContext): LabelWriter {
  const { files } = context
  const names = new Map(context.classes.map((entry) => [entry.id, entry.name]))
  const prefix = (image: ExportImage) => (image.split === null ? '' : `${image.split}/`)
  return {
    writesNegatives: true,
    imagePathInExport: (image) => `${prefix(image)}${image.stem}${image.extension}`,
    async addImage(image) {
      const jsonPath = `${prefix(image)}${image.stem}.json`
      const imagePath =
        context.imageMode === 'none'
          ? relative(join(context.finalFolder, ...dirname(jsonPath).split('/')), image.absolutePath).split(sep).join('/')
          : `${image.stem.split('/').pop()}${image.extension}`
      const document = {
        version: LABELME_VERSION,
        flags: {},
        shapes: image.boxes.map(({ classId, box }) => ({
          label: names.get(classId) ?? String(classId),
          points: [
            [Number(formatNumber(box[0], 3)), Number(formatNumber(box[1], 3))],
            [Number(formatNumber(box[2], 3)), Number(formatNumber(box[3], 3))],
          ],
          group_id: null,
          description: '',
          shape_type: 'rectangle',
          flags: {},
        })),
        imagePath,
        imageData: null,
        imageHeight: image.height,
        imageWidth: image.width,
      }
      await files.write(jsonPath, `${JSON.stringify(document, null, 2)}\n`)
    },
    async finish() {
      await files.write('classes.txt', classListText(context.classes))
    },
  }
}
