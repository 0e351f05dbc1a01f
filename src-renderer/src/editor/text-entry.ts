/** The part of an element the check reads (also typed where the DOM library is absent). */
export interface FocusTarget {
  tagName?: string
  type?: string
  isContentEditable?: boolean
}

/** Input types that take no text: keys pressed while they have focus go to the viewer. */
const CONTROL_TYPES = new Set(['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color', 'file'])

/**
 * Whether keys typed at this element are text (a field, a text area, a select, an editable
 * element): shortcuts never fire there. Sliders, checkboxes and buttons are not: the viewer
 * takes the keys back from them.
 */
export function isTextEntry(target: FocusTarget | null | undefined): boolean {
  if (!target?.tagName) return false
  if (target.isContentEditable) return true
  const tag = target.tagName.toUpperCase()
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  return tag === 'INPUT' && !CONTROL_TYPES.has((target.type ?? 'text').toLowerCase())
}
