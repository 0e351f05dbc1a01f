import { z } from 'zod'
import { EDIT_COMMANDS } from './label-types'
import { entityId, imageFilter } from './schemas'
import { classNameProblem } from './class-name'

/** A box in image pixels: finite, corners in order, within a generous bound (no image is a billion pixels wide). */
const coordinate = z.number().finite().min(-1e7).max(1e7)
export const boxSchema = z
  .tuple([coordinate, coordinate, coordinate, coordinate])
  .refine(([x1, y1, x2, y2]) => x2 >= x1 && y2 >= y1, 'must be [x1, y1, x2, y2] with x1 ≤ x2 and y1 ≤ y2')

const labelChange = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('create'), classId: entityId, box: boxSchema, detectionId: entityId.optional() }),
  z.strictObject({ op: z.literal('update'), labelId: entityId, classId: entityId, box: boxSchema }),
  z.strictObject({ op: z.literal('delete'), labelId: entityId }),
])

/** The most changes one gesture may carry (a paste or "copy previous" of a dense image). */
export const MAX_CHANGES_PER_EDIT = 10_000

/**
 * The window an edit, undo or redo comes from: a random id each window makes once and keeps
 * across reloads, so each window undoes only its own edits. Callers that are no window (scripts)
 * leave it out and share one history of such edits.
 */
export const editorId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, "-" or "_"')

/**
 * A random id the caller gives an edit, undo or redo; the `labels.changed` event of that step
 * carries it back, so the window that made the change knows the event is its own echo and need
 * not read again what the step's answer already holds.
 */
export const changeId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, "-" or "_"')

/** `labels.history`: whose history. */
export const labelsHistoryArgs = z.strictObject({ editorId: editorId.optional() })

/** `labels.undo` and `labels.redo`: whose history, and the step's change id. */
export const labelsStepArgs = z.strictObject({ editorId: editorId.optional(), changeId: changeId.optional() })

export const labelsEditArgs = z.strictObject({
  editorId: editorId.optional(),
  changeId: changeId.optional(),
  imageId: entityId,
  command: z.enum(EDIT_COMMANDS),
  changes: z.array(labelChange).min(1).max(MAX_CHANGES_PER_EDIT),
})

export const imageReviewArgs = z.strictObject({ imageId: entityId, reviewed: z.boolean() })

export const nextUnreviewedArgs = z.strictObject({
  /** Position in the filtered grid order to search after; -1 searches from the start. */
  afterIndex: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
  filter: imageFilter.optional(),
})

export const imagePositionArgs = z.strictObject({ imageId: entityId, filter: imageFilter.optional() })

const thresholdScore = z.number().gt(0).max(1)

export const labelThresholdsSetArgs = z.strictObject({
  score: thresholdScore,
  /** Class id (as a decimal string, JSON's only key type) → score; classes left out use `score`. */
  perClass: z
    .unknown()
    // A record schema skips an own "__proto__" key (JSON.parse makes one) instead of refusing it.
    .refine((value) => !(typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')), '"__proto__" must be a class id')
    .pipe(z.record(z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a class id'), thresholdScore))
    .optional(),
})

const className = z
  .string()
  .superRefine((value, context) => {
    const problem = classNameProblem(value)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })
  .transform((value) => value.trim())
const classColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour of the form #rrggbb')

export const classCreateArgs = z.strictObject({ name: className, color: classColor.optional() })
export const classUpdateArgs = z.strictObject({ classId: entityId, name: className.optional(), color: classColor.optional() })
export const classMergeArgs = z.strictObject({ classId: entityId, intoClassId: entityId })
