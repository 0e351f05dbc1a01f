/**
 * Pascal VOC: `Annotations/<stem>.xml` per image, `ImageSets/Main/<split>.txt` listing the
 * image ids (stems) of each split (`trainval` when the export is not split), `JPEGImages/`
 * when images are copied, and `classes.txt` with the class order VOC itself does not record.
 * Boxes are integers in VOC's 1-based convention: the pixel columns xmin..xmax inclusive, so
 * a box over the whole W-wide image is xmin 1, xmax W.
 */
import type { ExportImage } from '../label-set'
import type { TextSink } from '../text-sink'
import { classListText, type LabelWriter, type LabelWriterContext } from './label-writer'

export const VOC_DEFAULT_SPLIT = 'trainval'

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[char]};`)
}

/** [x1, y1, x2, y2] pixel edges → VOC's inclusive 1-based pixel indices, at least one pixel wide. */
export function toVocBox(box: readonly number[], width: number, height: number): [number, number, number, number] {
  const xmin = Math.min(width, Math.max(1, Math.round(box[0]!) + 1))
  const ymin = Math.min(height, Math.max(1, Math.round(box[1]!) + 1))
  const xmax = Math.min(width, Math.max(xmin, Math.round(box[2]!)))
  const ymax = Math.min(height, Math.max(ymin, Math.round(box[3]!)))
  return [xmin, ymin, xmax, ymax]
}

export function vocXml(image: ExportImage, fileName: string, className: (classId: number) => string): string {
  const objects = image.boxes.map(({ classId, box }) => {
    const [xmin, ymin, xmax, ymax] = toVocBox(box, image.width, image.height)
    return [
      '  <object>',
      `    <name>${escapeXml(className(classId))}</name>`,
      '    <pose>Unspecified</pose>',
      '    <truncated>0</truncated>',
      '    <difficult>0</difficult>',
      `    <bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox>`,
      '  </object>',
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<annotation>',
    '  <folder>JPEGImages</folder>',
    `  <filename>${escapeXml(fileName)}</filename>`,
    `  <path>${escapeXml(image.relativePath)}</path>`,
    '  <source><database>Retina Workbench</database></source>',
    `  <size><width>${image.width}</width><height>${image.height}</height><depth>3</depth></size>`,
    '  <segmented>0</segmented>',
    ...objects,
    '</annotation>',
    '',
  ].join('\n')
}

export function createVocWriter(context: LabelWriterContext): LabelWriter {
  const { files } = context
  const names = new Map(context.classes.map((entry) => [entry.id, entry.name]))
  const imageSets = new Map<string, TextSink>()
  const splitOf = (image: ExportImage) => image.split ?? VOC_DEFAULT_SPLIT
  const imageSet = async (split: string) => {
    let sink = imageSets.get(split)
    if (!sink) {
      sink = await files.openSink(`ImageSets/Main/${split}.txt`)
      imageSets.set(split, sink)
    }
    return sink
  }
  return {
    writesNegatives: true,
    imagePathInExport: (image) => `JPEGImages/${image.stem}${image.extension}`,
    async addImage(image) {
      const fileName = `${image.stem.split('/').pop()}${image.extension}`
      await files.write(`Annotations/${image.stem}.xml`, vocXml(image, fileName, (id) => names.get(id) ?? String(id)))
      await (await imageSet(splitOf(image))).write(`${image.stem}\n`)
    },
    async finish() {
      for (const split of context.splits ?? [VOC_DEFAULT_SPLIT]) await imageSet(split)
      for (const sink of imageSets.values()) await sink.commit()
      await files.write('classes.txt', classListText(context.classes))
    },
  }
}
