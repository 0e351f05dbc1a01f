/**
 * The label export over the API: one export at a time in this process, on the open project's
 * connection (it only reads, a page at a time), with progress events and cancel.
 */
import type { LabelExportResult } from '@shared/api/transfer-types'
import { AppError } from '../../core/errors'
import { exportLabels, type LabelExportReport } from '../../core/formats/export-labels'
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
    seconds: report.seconds,
  }
}

export function createLabelTransferHandlers(context: ApiContext): Pick<ApiHandlers, 'labels.export' | 'labels.cancelExport'> {
  let running: AbortController | null = null
  return {
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
          { format: args.format, out: args.out, allImages: args.allImages, includeEmpty: args.includeEmpty, images: args.images, split },
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
