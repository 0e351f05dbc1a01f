import { z } from 'zod'
import { entityId } from './schemas'

const unit = z.number().finite().min(0).max(1)

/**
 * A folder inside the image root, '/'-separated, as the project stores relative paths; ''
 * is the whole project. No '..' or absolute forms: it only ever filters stored paths.
 */
export const evaluationFolder = z
  .string()
  .max(4096)
  .refine((value) => value === '' || (!value.startsWith('/') && !value.endsWith('/') && !value.split('/').some((part) => part === '' || part === '.' || part === '..')), 'must be a folder inside the image root, like "val" or "site-a/day-2"')

/** The run(s) and the images an evaluation covers; shared by every evaluation method. */
const scope = {
  runId: entityId,
  /** A second run scored side by side on the images both finished. */
  compareRunId: entityId.optional(),
  folder: evaluationFolder.optional(),
}

export const evaluationArgs = z
  .strictObject({
    ...scope,
    /** The precision the per-class "forPrecision" suggestion aims at; 0.9 when absent. */
    targetPrecision: unit.optional(),
  })
  .refine((args) => args.compareRunId !== args.runId, 'compareRunId must name another run than runId')

const selection = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cell'), row: z.number().int().min(0).max(100_000), column: z.number().int().min(0).max(100_000) }),
  z.strictObject({
    kind: z.literal('detections'),
    classId: entityId.nullable(),
    outcome: z.enum(['truePositive', 'falsePositive']),
    minScore: unit,
    maxScore: unit.optional(),
  }),
  z.strictObject({ kind: z.literal('missed'), classId: entityId.nullable(), minScore: unit }),
])

export const evaluationImagesArgs = z.strictObject({ ...scope, selection })

export const imageEvaluationArgs = z.strictObject({ runId: entityId, imageId: entityId })
