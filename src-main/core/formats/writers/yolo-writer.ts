/**
 * YOLO in the Ultralytics layout (docs.ultralytics.com/datasets/detect): `images/<split>/...`
 * and `labels/<split>/<stem>.txt` side by side, so Ultralytics finds each label file by
 * replacing `/images/` with `/labels/` and the extension with `.txt`; one line per box,
 * `class cx cy w h` normalized to 0–1 with 6 decimals; an image without boxes gets an empty
 * file (a background image). `data.yaml` names the dataset root, the split folders (only when
 * the images are in the export: it never names a folder that does not exist) and the classes in
 * order; `classes.txt` lists the classes for tools that read that instead.
 */
import { stringify } from 'yaml'
import { toNormalizedCxcywh } from '../../../../src-shared/geometry/box'
import type { ExportImage } from '../label-set'
import { classListText, type LabelWriter, type LabelWriterContext } from './label-writer'

/** Ultralytics needs a train and a val entry; without a split every image is in `train`. */
export const YOLO_DEFAULT_SPLIT = 'train'

export function createYoloWriter(context: LabelWriterContext): LabelWriter {
  const { files } = context
  const indexOfClass = new Map(context.classes.map((entry, index) => [entry.id, index]))
  const splitOf = (image: ExportImage) => image.split ?? YOLO_DEFAULT_SPLIT
  return {
    writesNegatives: true,
    imagePathInExport: (image) => `images/${splitOf(image)}/${image.stem}${image.extension}`,
    async addImage(image) {
      const lines = image.boxes.map(({ classId, box }) => {
        const values = toNormalizedCxcywh(box, image).map((value) => Math.min(1, Math.max(0, value)).toFixed(6))
        return `${indexOfClass.get(classId)} ${values.join(' ')}\n`
      })
      await files.write(`labels/${splitOf(image)}/${image.stem}.txt`, lines.join(''))
    },
    async finish() {
      const splits = context.splits ?? [YOLO_DEFAULT_SPLIT]
      const data: Record<string, unknown> = { path: context.finalFolder }
      // Image folders are named only when they exist: without images the export is labels only.
      if (context.imageMode !== 'none') {
        for (const split of splits) data[split] = `images/${split}`
        data.train ??= `images/${splits[0]}`
        data.val ??= `images/${splits.includes('train') ? 'train' : splits[0]}`
      }
      data.nc = context.classes.length
      data.names = Object.fromEntries(context.classes.map((entry, index) => [index, entry.name]))
      await files.write('data.yaml', stringify(data))
      await files.write('classes.txt', classListText(context.classes))
    },
  }
}
