/**
 * `project export <project-file> --format ... --out <folder>`: writes the project's labels in a
 * training format (see core/formats/export-labels.ts). Progress on stderr, a summary line at
 * the end; exit code 130 when cancelled (nothing is left behind).
 */
import type { LabelExportResult } from '../../../src-shared/api/transfer-types'
import { exportLabels, planExport, type LabelExportOptions, type LabelExportPlan } from '../../core/formats/export-labels'
import { EXPORT_FORMATS, type ExportImageMode } from '../../core/formats/label-set'
import { parseSplit } from '../../core/formats/split'
import { openProjectFile } from '../../core/jobs/project-file'
import { resolveCommandLinePath } from '../../core/user-paths'
import { oneOf, parseCommandLine } from '../arguments'
import { UsageError, type CliIo } from '../command'
import { createProgressReporter, formatDuration, type ProgressReporter } from '../progress'

/** Paths listed under a warning; the rest are counted. */
const LISTED_LINES = 20

export const projectExportHelp = `project export <project-file> --format coco|yolo|voc|labelme|csv --out <folder> [options]
  Writes the project's labels (what people kept, never raw detections) for training code.
  The folder must be new or empty; it appears only once the export is complete.
  Options:
    --all                   every image with labels (default: reviewed images only)
    --include-empty         every chosen image without labels as a negative (by default only reviewed
                            ones: a labeler confirmed nothing is there; CSV cannot state negatives)
    --no-negatives          leave out reviewed images without labels
    --split train=0.8,val=0.2   split images by these fractions; an image always lands in the
                            same split (chosen from a hash of its path)
    --images copy|link|none copy the images beside the labels (EXIF-rotated ones written upright),
                            link to them, or leave them out (default: link for yolo, which
                            trains only with images/ beside labels/; none for the others)
    --classes a,b=c,...     export only these classes, in this order; name=new renames one`

export async function runProjectExport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    format: { type: 'string' },
    out: { type: 'string' },
    all: { type: 'boolean', default: false },
    'include-empty': { type: 'boolean', default: false },
    'no-negatives': { type: 'boolean', default: false },
    split: { type: 'string' },
    images: { type: 'string' },
    classes: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  })
  if (positionals.length !== 1) throw new UsageError('project export takes exactly one project file')
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('project export needs --out <folder>')
  const options: LabelExportOptions = {
    format: oneOf('--format', values.format, EXPORT_FORMATS),
    out: resolveCommandLinePath(values.out, '--out'),
    allImages: values.all ?? false,
    includeEmpty: values['include-empty'] ?? false,
    reviewedNegatives: !(values['no-negatives'] ?? false),
    images: values.images === undefined ? undefined : oneOf<ExportImageMode>('--images', values.images, ['copy', 'link', 'none']),
    split: values.split === undefined ? undefined : parseSplitArgument(values.split),
    classes: values.classes === undefined ? undefined : parseClassesArgument(values.classes),
  }
  const project = openProjectFile(positionals[0]!)
  let progress: ProgressReporter | null = null
  try {
    io.stderr.write(`${describePlan(planExport(project, options), options.format)}\n`)
    const report = await exportLabels(
      { db: project.db, imageRoot: project.imageRoot, name: project.record.name },
      options,
      {
        signal: io.signal,
        onProgress(done, total) {
          progress ??= createProgressReporter(io.stderr, total)
          progress.update(done, 0)
        },
      },
    )
    ;(progress as ProgressReporter | null)?.finish()
    printReport(io, report)
    return report.state === 'done' ? 0 : 130
  } finally {
    project.close()
  }
}

function parseSplitArgument(text: string) {
  try {
    return parseSplit(text)
  } catch (error) {
    throw new UsageError(`--split: ${(error as Error).message}`)
  }
}

function parseClassesArgument(text: string): Array<{ name: string; exportAs?: string }> {
  const entries = text.split(',').map((entry) => entry.trim())
  if (entries.some((entry) => entry === '')) throw new UsageError('--classes lists class names separated by commas, e.g. --classes car,person=pedestrian')
  return entries.map((entry) => {
    const [name, exportAs, ...rest] = entry.split('=').map((part) => part.trim())
    if (!name || rest.length > 0 || exportAs === '') throw new UsageError(`--classes: "${entry}" is not a class name or name=new-name`)
    return exportAs === undefined ? { name } : { name, exportAs }
  })
}

/** What is about to be written, before anything is: images, labels and negatives. */
export function describePlan(plan: LabelExportPlan, format: string): string {
  const negatives = plan.negatives > 0 ? ` (${plan.negatives} without labels, as negatives)` : ''
  const leftOut = plan.negativesLeftOut > 0 ? `; ${plan.negativesLeftOut} images without labels left out (${format} cannot state them)` : ''
  return `exporting ${plan.images} images${negatives} and ${plan.labels} labels as ${format}${leftOut}`
}

function printReport(io: CliIo, report: LabelExportResult): void {
  if (report.state === 'cancelled') {
    io.stderr.write('cancelled: the export was stopped and nothing was written\n')
    return
  }
  const lines: string[] = []
  if (report.negativesLeftOut > 0) lines.push(`note: ${report.negativesLeftOut} images without labels left out (${report.format} cannot state an image without boxes)`)
  if (report.imagesRotatedUpright > 0) lines.push(`note: ${report.imagesRotatedUpright} EXIF-rotated images were copied upright, without the orientation tag`)
  if (report.orientedImages.count > 0) {
    lines.push(`warning: ${report.orientedImages.count} images carry an EXIF orientation tag:`)
    for (const path of report.orientedImages.paths.slice(0, LISTED_LINES)) lines.push(`  ${path}`)
    if (report.orientedImages.count > LISTED_LINES) lines.push(`  ... and ${report.orientedImages.count - LISTED_LINES} more`)
    lines.push(`  ${report.orientedImages.note}`)
  }
  if (report.trainingNote) lines.push(`warning: ${report.trainingNote}`)
  if (report.imageFileProblems.count > 0) {
    lines.push(`warning: ${report.imageFileProblems.count} image files could not be provided (their labels are exported):`)
    for (const item of report.imageFileProblems.items.slice(0, LISTED_LINES)) lines.push(`  ${item.path}: ${item.message}`)
  }
  const splits = Object.entries(report.imagesPerSplit)
  const splitText = splits.length > 1 || (splits[0] && splits[0][0] !== 'all') ? ` (${splits.map(([name, count]) => `${name} ${count}`).join(', ')})` : ''
  const rate = report.seconds > 0 ? `, ${(report.images / report.seconds).toFixed(0)} images/s` : ''
  lines.push(
    `exported ${report.images} images${splitText}, ${report.labels} labels, ${report.classes.length} classes, ${report.negatives} without labels ` +
      `as ${report.format} to ${report.folder} in ${formatDuration(report.seconds)}${rate}`,
  )
  io.stderr.write(`${lines.slice(0, -1).map((line) => `${line}\n`).join('')}`)
  io.stdout.write(`${lines[lines.length - 1]}\n`)
}
