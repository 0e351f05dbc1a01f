import type { EditorCommand } from '../command-types'
import { relabelChanges } from '../label-changes'

/**
 * Keys 1–9 pick the project's first nine classes: for the selected boxes (a relabel), and as
 * the class the next drawn box takes.
 */
export const pickClass: EditorCommand = {
  name: 'pick-class',
  title: 'Give the selected boxes (and the next box drawn) class 1–9 of the class list',
  group: 'Edit',
  keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((key) => ({ key })),
  perform({ session, classIds }, key) {
    const classId = classIds[Number(key.key) - 1]
    if (classId === undefined) return
    session.setLastClass(classId)
    const changes = relabelChanges(session.selectedLabels(), new Set(session.state.selection), classId)
    return changes.length > 0 ? session.edit('relabel', changes) : undefined
  },
}
