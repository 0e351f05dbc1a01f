import type { ProjectClass } from '@shared/api/types'
import type { Message } from '../i18n/message'

/**
 * Checks a class name a labeler typed before it goes to the API: what the main side would
 * refuse, said in words a person can act on, plus a name another class already has (two
 * classes of one name could not be told apart in the list, the picker or an export). The
 * answer is a key of the catalogue's `imageView.className`.
 */
export function classNameProblem(name: string, classes: readonly ProjectClass[], renamingClassId?: number): Message | null {
  const trimmed = name.trim()
  if (trimmed === '') return { key: 'imageView.className.empty' }
  if (trimmed.length > 100) return { key: 'imageView.className.tooLong', values: { max: 100 } }
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return { key: 'imageView.className.controlCharacters' }
  const folded = trimmed.toLocaleLowerCase()
  const clash = classes.find((other) => other.id !== renamingClassId && other.name.trim().toLocaleLowerCase() === folded)
  return clash ? { key: 'imageView.className.taken', values: { name: clash.name } } : null
}

/**
 * Colours offered for a new class: distinct hues that stay visible on dark and light images
 * alike. The first one no class uses yet is the default.
 */
export const CLASS_PALETTE = [
  '#e6194b', '#3cb44b', '#ffe119', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6',
  '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324', '#fffac8', '#800000', '#aaffc3',
] as const

export function nextClassColor(classes: readonly ProjectClass[]): string {
  const used = new Set(classes.map((projectClass) => projectClass.color.toLowerCase()))
  return CLASS_PALETTE.find((color) => !used.has(color)) ?? CLASS_PALETTE[classes.length % CLASS_PALETTE.length] ?? '#e6194b'
}
