import type { EditorCommand } from '../command-types'

/** W as in LabelImg, R as in X-AnyLabeling: the next drag draws a box of the last used class. */
export const drawTool: EditorCommand = {
  name: 'draw-tool',
  title: 'Draw a box (drag a rectangle; it takes the last used class)',
  group: 'Tools',
  keys: [{ key: 'w' }, { key: 'r' }],
  perform: (context) => context.setTool(context.tool === 'draw' ? 'select' : 'draw'),
}
