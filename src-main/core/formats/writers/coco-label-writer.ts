/**
 * COCO detection JSON of the project's labels: one file per split (`annotations.json`, or
 * `annotations_<split>.json`). Image ids are the project's image ids and category ids the
 * project's class ids, both stable across exports; `file_name` is the path relative to the
 * image folder (`images/` when images are copied). Annotations stream into the file; the image
 * list streams into a side file appended on `finish`, so memory does not grow with the project.
 */
import { createReadStream } from 'node:fs'
import { toXywh } from '../../../../src-shared/geometry/box'
import type { ExportImage } from '../label-set'
import type { TextSink } from '../text-sink'
import { formatNumber, type LabelWriter, type LabelWriterContext } from './label-writer'

interface SplitFiles {
  annotations: TextSink
  images: TextSink
  imagesPath: string
  annotationCount: number
  imageCount: number
}

export function cocoFileName(split: string | null): string {
  return split === null ? 'annotations.json' : `annotations_${split}.json`
}

export function createCocoLabelWriter(context: LabelWriterContext): LabelWriter {
  const { files } = context
  const bySplit = new Map<string | null, SplitFiles>()
  let annotationId = 0
  const categories = context.classes.map((entry) => ({ id: entry.id, name: entry.name, supercategory: 'object' }))
  const info = {
    description: `${context.projectName}: labels exported by Retina Workbench`,
    version: '1.0',
    date_created: new Date().toISOString(),
    image_folder: context.imageMode === 'none' ? 'the project image folder' : 'images/',
  }

  const open = async (split: string | null): Promise<SplitFiles> => {
    const existing = bySplit.get(split)
    if (existing) return existing
    const path = cocoFileName(split)
    const annotations = await files.openSink(path)
    await annotations.write(`{"info":${JSON.stringify(info)},"licenses":[],"categories":${JSON.stringify(categories)},"annotations":[`)
    const imagesPath = `${path}.images`
    const created: SplitFiles = { annotations, images: await files.openSink(imagesPath), imagesPath, annotationCount: 0, imageCount: 0 }
    bySplit.set(split, created)
    return created
  }

  return {
    writesNegatives: true,
    imagePathInExport: (image) => `images/${image.relativePath}`,
    async addImage(image: ExportImage) {
      const split = await open(image.split)
      const entry = { id: image.id, file_name: image.relativePath, width: image.width, height: image.height }
      await split.images.write(`${split.imageCount++ === 0 ? '' : ','}\n${JSON.stringify(entry)}`)
      for (const { classId, box } of image.boxes) {
        const [x, y, width, height] = toXywh(box).map((value) => Number(formatNumber(value, 3))) as [number, number, number, number]
        const annotation = {
          id: ++annotationId,
          image_id: image.id,
          category_id: classId,
          bbox: [x, y, width, height],
          area: Number(formatNumber(width * height, 3)),
          iscrowd: 0,
        }
        await split.annotations.write(`${split.annotationCount++ === 0 ? '' : ','}\n${JSON.stringify(annotation)}`)
      }
    },
    async finish() {
      // An export with no image at all still gets its (empty) file(s).
      for (const split of context.splits ?? [null]) await open(split)
      for (const split of bySplit.values()) {
        await split.images.commit()
        await split.annotations.write('\n],"images":[')
        for await (const chunk of createReadStream(files.absolute(split.imagesPath), { encoding: 'utf8' })) await split.annotations.write(chunk as string)
        await split.annotations.write('\n]}\n')
        await split.annotations.commit()
        await files.remove(split.imagesPath)
      }
    },
  }
}
