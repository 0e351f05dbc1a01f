/**
 * The label writes that can take seconds, answered by the label write workers
 * (label-write-worker.ts) over their own connections: an import (reading the files, then
 * planning and writing one undo step) and undo or redo, whose step may be a whole import. Also
 * the import's preview, which only reads but reads the same files.
 *
 * An import reads its files first (`readImport`, outside the project's write queue) and keeps
 * them in this worker until its turn to write comes (`writeImport`), so that an edit asked while
 * a large file is read does not wait for the reading (see ProjectWrites.importLabels).
 */
import type { LabelImportOutcome, LabelImportPreview } from '../../../src-shared/api/transfer-types'
import type { SqliteDatabase } from '../db/connection'
import { applyLabelImport, planLabelImport, readLabelSet, type LabelImportOptions, type LabelImportPlan } from '../formats/import-labels'
import type { ImportedLabelSet, ImportFormat } from '../formats/label-set'
import { AppError } from '../errors'
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

/** Names an import's files read ahead of its turn to write, in the worker that read them. */
export interface ReadImport {
  readId: number
}

export function createLabelWrites(db: SqliteDatabase, imageRoot: string) {
  const read = (request: LabelImportRequest, { signal, progress }: QueryContext): Promise<ImportedLabelSet> =>
    readLabelSet(request.format, request.input, { signal, onProgress: progress })
  /** Imports read and waiting for their turn to write, by read id. */
  const readAhead = new Map<number, { request: LabelImportRequest; set: ImportedLabelSet }>()
  let lastReadId = 0

  const write = (request: LabelImportRequest, plan: LabelImportPlan, now: string): WrittenImport => {
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
  }

  return {
    planImport: async (request: LabelImportRequest, context: QueryContext): Promise<LabelImportPreview> =>
      describeImportPlan(planLabelImport(db, imageRoot, await read(request, context), request)),
    /** Reads an import's files (read again: they may have changed since the preview) and keeps them for writeImport. */
    readImport: async (request: LabelImportRequest, context: QueryContext): Promise<ReadImport> => {
      const set = await read(request, context)
      const readId = ++lastReadId
      readAhead.set(readId, { request, set })
      return { readId }
    },
    /**
     * Plans and writes an import read by readImport, in its turn: planned now, so that it goes by
     * what the project holds when it is written.
     */
    writeImport: ({ readId, now }: ReadImport & { now: string }, context: QueryContext): WrittenImport => {
      const waiting = readAhead.get(readId)
      readAhead.delete(readId)
      if (!waiting) throw new AppError('conflict', { key: 'importRefused.readLost' })
      context.signal.throwIfAborted()
      return write(waiting.request, planLabelImport(db, imageRoot, waiting.set, waiting.request), now)
    },
    /** Lets go of an import read ahead whose write will not come (cancelled, or its project closed). */
    forgetImport: ({ readId }: ReadImport): null => {
      readAhead.delete(readId)
      return null
    },
    undo: ({ now, editorId }: { now: string; editorId?: string | undefined }): StepResult | null => undo(db, now, editorId),
    redo: ({ now, editorId }: { now: string; editorId?: string | undefined }): StepResult | null => redo(db, now, editorId),
  }
}

export type LabelWrites = ReturnType<typeof createLabelWrites>
