/**
 * Label export and import over the API, each a job (progress, cancel, `job.*` events). One
 * export at a time in this process, on the open project's connection (it only reads, a page at
 * a time); an import is previewed first (read and planned, nothing written) and then written as
 * one undo step, both in workers. Reading the files is what takes time, and what a cancel stops;
 * it happens before the import takes its turn in the project's write queue.
 */
import { rememberExportFolder } from '../../core/db/export-folders-repository'
import { AppError } from '../../core/errors'
import type { ImportFormat } from '../../core/formats/label-set'
import { exportLabels, planExport } from '../../core/formats/export-labels'
import type { LabelImportRequest } from '../../core/labels/label-writes'
import type { QueryCallOptions } from '../../core/queries/query-worker'
import { parseSplit } from '../../core/formats/split'
import type { ApiContext } from '../api-context'
import type { ApiHandlers } from './handler-types'

const FORMAT_NAMES: Record<ImportFormat | 'csv', string> = { coco: 'COCO', yolo: 'YOLO', voc: 'Pascal VOC', labelme: 'LabelMe', csv: 'CSV' }

type TransferMethod = 'labels.export' | 'labels.planExport' | 'labels.planImport' | 'labels.import'

export function createLabelTransferHandlers(context: ApiContext): Pick<ApiHandlers, TransferMethod> {
  /**
   * Reads the files (progress, cancel) and plans, in the reader worker: for a preview, or for an
   * import (read and planned again: the files may have changed since the preview), which plans
   * and writes once the writes asked before it are done.
   */
  const importJob = <T>(request: LabelImportRequest, purpose: 'preview' | 'import', work: (options: QueryCallOptions) => Promise<T>): Promise<T> => {
    const project = context.projects.requireOpen()
    const values = { format: FORMAT_NAMES[request.format], input: request.input }
    const title = { key: purpose === 'preview' ? 'jobs.readingLabels' : 'jobs.importingLabels', values } as const
    return context.jobs.run({ kind: 'import', title, projectFile: project.file, unit: 'files', cancellable: true }, async (job) => {
      try {
        return await work({ signal: job.signal, onProgress: (read, total) => job.progress(read, total) })
      } catch (error) {
        if (job.signal.aborted) throw new AppError('cancelled', { key: `${title.key}Cancelled`, values })
        throw error
      }
    })
  }
  return {
    'labels.planImport': (request) =>
      importJob(request, 'preview', (options) => context.writes.reader(context.projects.requireOpen()).call('planImport', request, options)),
    'labels.import': async (request) => {
      const written = await importJob(request, 'import', (options) => context.writes.importLabels(() => context.projects.requireOpen(), request, options))
      if (written.changedImageIds.length > 0) context.events.emit({ type: 'labels.changed', imageIds: written.changedImageIds })
      if (written.classesCreated) context.events.emit({ type: 'classes.changed' })
      // Box counts and review marks in the grid changed too.
      context.events.emit({ type: 'images.changed' })
      return written.outcome
    },
    'labels.planExport': (args) =>
      planExport(context.projects.requireOpen(), {
        format: args.format,
        allImages: args.allImages,
        includeEmpty: args.includeEmpty,
        reviewedNegatives: args.reviewedNegatives,
        images: args.images,
      }),
    'labels.export': (args) => {
      const project = context.projects.requireOpen()
      const split = args.split ? parseSplit(args.split) : undefined
      const title = { key: 'jobs.exportingLabels', values: { format: FORMAT_NAMES[args.format], folder: args.out } } as const
      const spec = { kind: 'export', title, projectFile: project.file, unit: 'images', cancellable: true, exclusive: 'export' } as const
      return context.jobs.run(spec, (job) =>
        exportLabels(
          { db: project.db, imageRoot: project.imageRoot, name: project.record.name },
          { format: args.format, out: args.out, allImages: args.allImages, includeEmpty: args.includeEmpty, reviewedNegatives: args.reviewedNegatives, images: args.images, split },
          {
            signal: job.signal,
            onProgress: (done, total) => job.progress(done, total),
            rememberFolder: (folder) => context.writes.onThisThread(() => rememberExportFolder(project.db, folder, new Date().toISOString())),
          },
        ),
      )
    },
  }
}
