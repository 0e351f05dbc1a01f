/**
 * Label export and import over the API, each a job (progress, cancel, `job.*` events). One
 * export at a time in this process, on the open project's connection (it only reads, a page at
 * a time); an import is previewed first (read and planned, nothing written) and then written as
 * one undo step. Reading the files is what takes time, and what a cancel stops.
 */
import type { LabelExportResult, LabelImportPreview } from '@shared/api/transfer-types'
import { AppError } from '../../core/errors'
import type { ImportFormat } from '../../core/formats/label-set'
import { exportLabels, planExport, type LabelExportReport } from '../../core/formats/export-labels'
import { applyLabelImport, planLabelImport, readLabelSet, type LabelImportPlan } from '../../core/formats/import-labels'
import { parseSplit } from '../../core/formats/split'
import type { ApiContext } from '../api-context'
import type { ApiHandlers } from './handler-types'

const FORMAT_NAMES: Record<ImportFormat | 'csv', string> = { coco: 'COCO', yolo: 'YOLO', voc: 'Pascal VOC', labelme: 'LabelMe', csv: 'CSV' }

export function toLabelExportResult(report: LabelExportReport): LabelExportResult {
  return {
    state: report.state,
    format: report.format,
    folder: report.folder,
    images: report.images,
    labels: report.boxes,
    negatives: report.negatives,
    negativesLeftOut: report.negativesLeftOut,
    classes: report.classes.map((entry) => entry.name),
    imagesPerSplit: report.imagesPerSplit,
    imagesRotatedUpright: report.imagesRotatedUpright,
    orientedImages: report.orientedImages,
    imageFileProblems: report.imageFileProblems,
    imageMode: report.imageMode,
    trainingNote: report.trainingNote,
    seconds: report.seconds,
  }
}

/** Problems listed in a preview; the count stays exact. */
const PREVIEW_PROBLEMS = 50

export function toLabelImportPreview(plan: LabelImportPlan): LabelImportPreview {
  return {
    imagesInFile: plan.imagesInFile,
    imagesMatched: plan.imagesMatched,
    labels: plan.labels,
    boxesClipped: plan.boxesClipped,
    boxesTooSmall: plan.boxesTooSmall,
    boxesWithInvalidClass: plan.boxesWithInvalidClass,
    newClasses: plan.newClasses,
    imagesKeptTouched: plan.imagesKeptTouched,
    problems: plan.problems.slice(0, PREVIEW_PROBLEMS),
    problemCount: plan.problemCount,
  }
}

type TransferMethod = 'labels.export' | 'labels.planExport' | 'labels.planImport' | 'labels.import'

export function createLabelTransferHandlers(context: ApiContext): Pick<ApiHandlers, TransferMethod> {
  const plan = async (
    args: { format: ImportFormat; input: string; mode: 'add' | 'replace'; markReviewed: boolean; addClasses: boolean },
    purpose: 'preview' | 'import',
  ) => {
    const project = context.projects.requireOpen()
    const what = `${FORMAT_NAMES[args.format]} labels from ${args.input}`
    const title = purpose === 'preview' ? `Reading ${what}` : `Importing ${what}`
    const set = await context.jobs.run({ kind: 'import', title, projectFile: project.file, unit: 'files', cancellable: true }, async (job) => {
      try {
        return await readLabelSet(args.format, args.input, { signal: job.signal, onProgress: (read, total) => job.progress(read, total) })
      } catch (error) {
        if (job.signal.aborted) throw new AppError('cancelled', `${title} was cancelled; nothing was imported.`)
        throw error
      }
    })
    return { project, plan: planLabelImport(project.db, project.imageRoot, set, args) }
  }
  return {
    'labels.planImport': async (args) => toLabelImportPreview((await plan(args, 'preview')).plan),
    'labels.import': async (args) => {
      // Read and planned again: the files may have changed since the preview.
      const { project, plan: planned } = await plan(args, 'import')
      const result = applyLabelImport(project.db, planned, args)
      if (result.changedImageIds.length > 0) context.events.emit({ type: 'labels.changed', imageIds: result.changedImageIds })
      if (result.classesCreated.length > 0) context.events.emit({ type: 'classes.changed' })
      // Box counts and review marks in the grid changed too.
      context.events.emit({ type: 'images.changed' })
      return {
        imagesChanged: result.imagesChanged,
        labelsCreated: result.labelsCreated,
        labelsRemoved: result.labelsRemoved,
        imagesKeptTouched: result.imagesKeptTouched,
        duplicatesSkipped: result.duplicatesSkipped,
        imagesMarkedReviewed: result.imagesMarkedReviewed,
        classesCreated: result.classesCreated,
        problemCount: planned.problemCount,
      }
    },
    'labels.planExport': (args) =>
      planExport(context.projects.requireOpen(), {
        format: args.format,
        allImages: args.allImages,
        includeEmpty: args.includeEmpty,
        reviewedNegatives: args.reviewedNegatives,
        images: args.images,
      }),
    'labels.export': async (args) => {
      const project = context.projects.requireOpen()
      const split = args.split ? parseSplit(args.split) : undefined
      const title = `Exporting labels as ${FORMAT_NAMES[args.format]} to ${args.out}`
      const spec = { kind: 'export', title, projectFile: project.file, unit: 'images', cancellable: true, exclusive: 'export' } as const
      const report = await context.jobs.run(spec, (job) =>
        exportLabels(
          { db: project.db, imageRoot: project.imageRoot, name: project.record.name },
          { format: args.format, out: args.out, allImages: args.allImages, includeEmpty: args.includeEmpty, reviewedNegatives: args.reviewedNegatives, images: args.images, split },
          { signal: job.signal, onProgress: (done, total) => job.progress(done, total) },
        ),
      )
      return toLabelExportResult(report)
    },
  }
}
