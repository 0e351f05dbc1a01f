import type { EditorCommand } from '../command-types'
import { relabelChanges } from '../label-changes'

/**
 * Keys 1–9 pick the project's first nine classes: as the class the next drawn box takes, and
 * for the boxes the labeler selected (a relabel). A box selected only because it was just
 * drawn keeps its class: the digit after a draw is meant for the next box.
 */
export const pickClass: EditorCommand = {
  name: 'pick-class',
  title: 'Class 1–9 of the class list for the next box drawn, and for the boxes you selected',
  group: 'Edit',
  keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((key) => ({ key })),
  perform({ session, classIds }, key) {
    const classId = classIds[Number(key.key) - 1]
    if (classId === undefined) return
    session.setLastClass(classId)
    if (session.state.selectionIsNewDrawing) return
    const changes = relabelChanges(session.selectedLabels(), new Set(session.state.selection), classId)
    return changes.length > 0 ? session.edit('relabel', changes) : undefined
  },
}
