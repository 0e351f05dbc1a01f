import type { EditorCommand } from '../command-types'
import { acceptSuggestion } from './accept-suggestion'
import { copy, copyPrevious, paste } from './copy-paste'
import { deleteSelection } from './delete-selection'
import { drawTool } from './draw-tool'
import { duplicate } from './duplicate'
import { escape } from './escape'
import { backToGrid, nextImage, nextListedImage, previousImage, previousListedImage } from './navigate'
import { nudge } from './nudge'
import { pickClass } from './pick-class'
import { relabel } from './relabel'
import { growBox, shrinkBox } from './resize'
import { nextUnreviewed, reviewAndNext, toggleReviewed } from './review'
import { selectAll, selectNext, selectPrevious } from './select-boxes'
import { acceptShownSuggestions, selectNextSuggestion, selectPreviousSuggestion } from './suggestions'
import { redo, undo } from './undo-redo'
import { actualSize, fit, shortcuts, toggleSidePanels, zoomIn, zoomOut } from './view'

/**
 * Every editor command, in the order keys are tried: a key goes to the first command whose
 * predicate holds (nudge before navigate, so arrows move a selected box and otherwise step
 * through images). The shortcut overlay and the README table are made from this list.
 */
export const EDITOR_COMMANDS: readonly EditorCommand[] = [
  escape,
  drawTool,
  selectNext,
  selectPrevious,
  selectNextSuggestion,
  selectPreviousSuggestion,
  selectAll,
  deleteSelection,
  relabel,
  pickClass,
  duplicate,
  nudge,
  growBox,
  shrinkBox,
  copy,
  paste,
  copyPrevious,
  acceptSuggestion,
  acceptShownSuggestions,
  undo,
  redo,
  reviewAndNext,
  toggleReviewed,
  nextUnreviewed,
  previousImage,
  nextImage,
  previousListedImage,
  nextListedImage,
  backToGrid,
  fit,
  actualSize,
  zoomIn,
  zoomOut,
  toggleSidePanels,
  shortcuts,
]
