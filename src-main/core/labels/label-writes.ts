/**
 * The label writes that can take seconds, answered by the label write worker
 * (label-write-worker.ts) over its own connection: an import (reading the files, planning,
 * writing one undo step) and undo or redo, whose step may be a whole import. Also the import's
 * preview, which only reads but reads the same files.
 */
import type { LabelImportOutcome, LabelImportPreview } from '../../../src-shared/api/transfer-types'
import type { SqliteDatabase } from '../db/connection'
import { applyLabelImport, planLabelImport, readLabelSet, type LabelImportOptions, type LabelImportPlan } from '../formats/import-labels'
import type { ImportFormat } from '../formats/label-set'
import type { QueryContext } from '../queries/query-protocol'
import { redo, undo, type StepResult } from './label-edits'

export interface LabelImportRequest extends LabelImportOptions {
  format: ImportFormat
  input: string
}

/** Problems listed in a preview; the count stays exact. */
const PREVIEW_PROBLEMS = 50

export function describeImportPlan(plan: LabelImportPlan): LabelImportPreview {
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

/** What an import wrote, and the images and classes it changed (for the events). */
export interface WrittenImport {
  outcome: LabelImportOutcome
  changedImageIds: number[]
  classesCreated: boolean
}

export function createLabelWrites(db: SqliteDatabase, imageRoot: string) {
  const readAndPlan = async (request: LabelImportRequest, { signal, progress }: QueryContext): Promise<LabelImportPlan> => {
    const set = await readLabelSet(request.format, request.input, { signal, onProgress: progress })
    return planLabelImport(db, imageRoot, set, request)
  }
  return {
    planImport: async (request: LabelImportRequest, context: QueryContext): Promise<LabelImportPreview> =>
      describeImportPlan(await readAndPlan(request, context)),
    /** Read and planned again: the files may have changed since the preview. */
    import: async ({ now, ...request }: LabelImportRequest & { now: string }, context: QueryContext): Promise<WrittenImport> => {
      const plan = await readAndPlan(request, context)
      context.signal.throwIfAborted()
      const result = applyLabelImport(db, plan, request, now)
      return {
        outcome: {
          imagesChanged: result.imagesChanged,
          labelsCreated: result.labelsCreated,
          labelsRemoved: result.labelsRemoved,
          imagesKeptTouched: result.imagesKeptTouched,
          duplicatesSkipped: result.duplicatesSkipped,
          imagesMarkedReviewed: result.imagesMarkedReviewed,
          classesCreated: result.classesCreated,
          problemCount: plan.problemCount,
        },
        changedImageIds: result.changedImageIds,
        classesCreated: result.classesCreated.length > 0,
      }
    },
    undo: ({ now, editorId }: { now: string; editorId?: string | undefined }): StepResult | null => undo(db, now, editorId),
    redo: ({ now, editorId }: { now: string; editorId?: string | undefined }): StepResult | null => redo(db, now, editorId),
  }
}

export type LabelWrites = ReturnType<typeof createLabelWrites>
