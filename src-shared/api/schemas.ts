import { z } from 'zod'

/**
 * Argument schemas for every API method. Anything arriving from a renderer or an HTTP
 * client is untrusted: lengths are bounded, paths must be absolute, ids are positive
 * safe integers, and unknown keys are rejected (`strictObject`).
 */

const MAX_PATH_LENGTH = 4096

/** An absolute path on POSIX (`/x`) or Windows (`C:\x`, `\\server\share`); no NUL bytes. */
export const absolutePath = z
  .string()
  .min(1)
  .max(MAX_PATH_LENGTH)
  .refine((value) => !value.includes('\0'), 'must not contain NUL bytes')
  .refine((value) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value), 'must be an absolute path')

export const entityId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

const displayName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  .refine((value) => !/[\u0000-\u001f]/.test(value), 'must not contain control characters')

export const noArgs = z.strictObject({})

export const projectCreateArgs = z.strictObject({
  imageFolder: absolutePath,
  /** Where to write the project file; defaults to `<imageFolder>/<folder name>.rwproj`. */
  projectFile: absolutePath.optional(),
  name: displayName.optional(),
})

export const projectOpenArgs = z.strictObject({ projectFile: absolutePath })

export const imagesListArgs = z.strictObject({
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(1000),
})

export const imageGetArgs = z.strictObject({ imageId: entityId })

export const pickPathArgs = z.strictObject({
  kind: z.enum(['folder', 'project-file']),
  title: z.string().max(200).optional(),
})

const imageStatus = z.enum(['new', 'detected', 'reviewed', 'error'])

export const imageFilter = z.strictObject({
  /** The order of the images the filter shows (default `path`); every position depends on it. */
  order: z.enum(['path', 'uncertainty']).optional(),
  statuses: z.array(imageStatus).max(4).optional(),
  hasErrors: z.boolean().optional(),
  classId: entityId.optional(),
})

export const gridListArgs = z.strictObject({
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  limit: z.number().int().min(1).max(1000),
  filter: imageFilter.optional(),
})

export const runStartArgs = z.strictObject({
  scope: z.enum(['unprocessed', 'all']),
  /** The decoder keeps detections at or above this score (default: the model config's); 0–1. Not the label threshold. */
  decodeCutoff: z.number().min(0).max(1).optional(),
  provider: z.enum(['auto', 'cuda', 'webgpu', 'cpu']).optional(),
  /** A model other than the bundled one (its config JSON beside it). */
  modelPath: absolutePath.optional(),
  /** The project the run is meant for (`ProjectSummary.file`); refused when another one is open. */
  projectFile: absolutePath.optional(),
})

/** `training.start`: where to write the trained model, and optionally what to start from. */
export const trainingStartArgs = z.strictObject({
  out: absolutePath,
  baseModel: absolutePath.optional(),
  baseConfig: absolutePath.optional(),
  epochs: z.number().int().min(1).max(1000).optional(),
})

export const jobIdArgs = z.strictObject({ jobId: entityId })

export const runIdArgs = z.strictObject({
  runId: entityId,
  /** The project the run belongs to (`ProjectSummary.file`); refused when another one is open. */
  projectFile: absolutePath.optional(),
})
