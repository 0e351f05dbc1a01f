import type { EditorCommand } from '../command-types'

/** W as in LabelImg, R as in X-AnyLabeling: the next drag draws a box of the last used class. */
export const drawTool: EditorCommand = {
  name: 'draw-tool',
  title: 'Draw a box (drag; it takes the class chosen with 1–9 or the picker, and asks until one is)',
  group: 'Tools',
  keys: [{ key: 'w' }, { key: 'r' }],
  perform: (context) => context.setTool(context.tool === 'draw' ? 'select' : 'draw'),
}
