/**
 * Label export and import over the API. One export at a time in this process, on the open
 * project's connection (it only reads, a page at a time), with progress events and cancel; an
 * import is previewed first (read and planned, nothing written) and then written as one undo step.
 */
import type { LabelExportResult, LabelImportPreview } from '@shared/api/transfer-types'
import { AppError } from '../../core/errors'
import { exportLabels, planExport, type LabelExportReport } from '../../core/formats/export-labels'
import { applyLabelImport, planLabelImport, readLabelSet, type LabelImportPlan } from '../../core/formats/import-labels'
import { parseSplit } from '../../core/formats/split'
import type { ApiContext } from '../api-context'
import type { ApiHandlers } from './handler-types'

const PROGRESS_INTERVAL_MS = 100

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

type TransferMethod = 'labels.export' | 'labels.planExport' | 'labels.cancelExport' | 'labels.planImport' | 'labels.import'

export function createLabelTransferHandlers(context: ApiContext): Pick<ApiHandlers, TransferMethod> {
  let running: AbortController | null = null
  const plan = async (args: { format: 'coco' | 'yolo' | 'voc' | 'labelme'; input: string; mode: 'add' | 'replace'; markReviewed: boolean; addClasses: boolean }) => {
    const project = context.projects.requireOpen()
    const set = await readLabelSet(args.format, args.input)
    return { project, plan: planLabelImport(project.db, project.imageRoot, set, args) }
  }
  return {
    'labels.planImport': async (args) => toLabelImportPreview((await plan(args)).plan),
    'labels.import': async (args) => {
      // Read and planned again: the files may have changed since the preview.
      const { project, plan: planned } = await plan(args)
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
      if (running) throw new AppError('conflict', 'An export is already going on; wait for it or cancel it.')
      const split = args.split ? parseSplit(args.split) : undefined
      const controller = new AbortController()
      running = controller
      let lastSent = 0
      try {
        const report = await exportLabels(
          { db: project.db, imageRoot: project.imageRoot, name: project.record.name },
          { format: args.format, out: args.out, allImages: args.allImages, includeEmpty: args.includeEmpty, reviewedNegatives: args.reviewedNegatives, images: args.images, split },
          {
            signal: controller.signal,
            onProgress(done, total) {
              const now = Date.now()
              if (done < total && now - lastSent < PROGRESS_INTERVAL_MS) return
              lastSent = now
              context.events.emit({ type: 'labels.exportProgress', progress: { done, total } })
            },
          },
        )
        return toLabelExportResult(report)
      } finally {
        running = null
      }
    },
    'labels.cancelExport': () => {
      running?.abort()
      return null
    },
  }
}
