/**
 * The one rule for a class name, wherever a class is made: the API (create, rename), label
 * imports, detection runs (a model's class names) and the repository underneath all of them.
 * A name is trimmed; it must then be 1–100 characters with no control characters (a newline
 * would split a YOLO classes.txt line) and no lone UTF-16 surrogate (not text in any file format).
 */
export const MAX_CLASS_NAME_LENGTH = 100

// eslint-disable-next-line no-control-regex -- rejecting control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Why `name` (before trimming) cannot name a class, or null when it can. */
export function classNameProblem(name: string): string | null {
  const trimmed = name.trim()
  if (trimmed === '') return 'a class name cannot be empty'
  if (trimmed.length > MAX_CLASS_NAME_LENGTH) return `a class name is at most ${MAX_CLASS_NAME_LENGTH} characters; this one has ${trimmed.length}`
  if (CONTROL_CHARACTERS.test(trimmed)) return 'a class name must not contain control characters (line breaks, tabs, NUL)'
  if (LONE_SURROGATE.test(trimmed)) return 'a class name must be valid Unicode text'
  return null
}

/** A name short enough to quote in a message. */
export function quotedClassName(name: string): string {
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name
  return JSON.stringify(shown)
}
