/**
 * The TensorFlow object-detection CSV: `filename,width,height,class,xmin,ymin,xmax,ymax`, one
 * row per box, pixels of the displayed frame. One file per split (`labels.csv`, or
 * `<split>.csv`); `filename` is the path relative to the image folder (`images/` when copied).
 * The format has no row for an image without boxes, so negatives cannot be exported in it.
 */
import type { ExportImage } from '../label-set'
import type { TextSink } from '../text-sink'
import { classListText, formatNumber, type LabelWriter, type LabelWriterContext } from './label-writer'

export const CSV_HEADER = 'filename,width,height,class,xmin,ymin,xmax,ymax\n'

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function createCsvWriter(context: LabelWriterContext): LabelWriter {
  const { files } = context
  const names = new Map(context.classes.map((entry) => [entry.id, entry.name]))
  const sinks = new Map<string | null, TextSink>()
  const sinkFor = async (split: string | null) => {
    let sink = sinks.get(split)
    if (!sink) {
      sink = await files.openSink(split === null ? 'labels.csv' : `${split}.csv`)
      await sink.write(CSV_HEADER)
      sinks.set(split, sink)
    }
    return sink
  }
  return {
    writesNegatives: false,
    imagePathInExport: (image) => `images/${image.relativePath}`,
    async addImage(image: ExportImage) {
      const sink = await sinkFor(image.split)
      const file = csvField(image.relativePath)
      for (const { classId, box } of image.boxes) {
        const coordinates = box.map((value) => formatNumber(value, 3)).join(',')
        await sink.write(`${file},${image.width},${image.height},${csvField(names.get(classId) ?? String(classId))},${coordinates}\n`)
      }
    },
    async finish() {
      for (const split of context.splits ?? [null]) await sinkFor(split)
      for (const sink of sinks.values()) await sink.commit()
      await files.write('classes.txt', classListText(context.classes))
    },
  }
}
