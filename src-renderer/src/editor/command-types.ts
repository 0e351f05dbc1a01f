import type { FrameSize } from '@shared/geometry/box'
import type { DetectionBox } from '@shared/api/types'
import type { LabelSession } from './label-session'
import type { ToolName } from './pointer-tool'

/** A key as the router sees it (KeyboardEvent's `key` and modifiers), free of the DOM. */
export interface KeyInput {
  key: string
  /** Ctrl, or Cmd on macOS. */
  ctrl: boolean
  shift: boolean
  alt: boolean
}

/** `shift` left out matches either; `ctrl` and `alt` left out mean "not held". */
export interface KeyBinding {
  key: string
  ctrl?: boolean
  shift?: boolean
  alt?: boolean
}

export type CommandGroup = 'Tools' | 'Edit' | 'Select' | 'Navigate' | 'Review' | 'View'

/** What commands may use: the label session and the view's actions, all plain functions. */
export interface CommandContext {
  session: LabelSession
  /** The displayed image's size, once loaded. */
  frame: FrameSize | null
  /** The project's classes in their fixed order (keys 1–9 pick the first nine). */
  classIds: readonly number[]
  /** Suggestions shown by the viewer's threshold and class filter. */
  visibleSuggestions: readonly DetectionBox[]
  tool: ToolName
  setTool(tool: ToolName): void
  /** Drops a gesture in progress; true when there was one. */
  cancelGesture(): boolean
  openClassPicker(): void
  toggleShortcuts(): void
  /** Folds both side panels away, or shows them again. */
  toggleSidePanels(): void
  fit(): void
  actualSize(): void
  zoomIn(): void
  zoomOut(): void
  next(): unknown
  previous(): unknown
  backToGrid(): void
  markReviewedAndNext(): unknown
  toggleReviewed(): unknown
  nextUnreviewed(): unknown
  /** The image `delta` steps along the evaluation list being followed (images behind a cell, point or bar). */
  stepEvaluationList(delta: number): unknown
  undo(): unknown
  redo(): unknown
  /** Creates the previous image's labels on this one. */
  copyPrevious(): unknown
  /**
   * A short message for the person (nothing to paste, nothing to undo): a key of the
   * catalogue's `imageView.messages`, worded in the window's language where it is shown.
   */
  inform(key: string, values?: Record<string, string | number>): void
}

/** One editor command: its name, keys, when it applies and what it does (Excalidraw's action shape). */
export interface EditorCommand {
  name: string
  /** What the shortcut overlay and README table say it does. */
  title: string
  group: CommandGroup
  keys: KeyBinding[]
  /** Whether the command applies now; the key falls through to the next command when not. */
  predicate?(context: CommandContext): boolean
  perform(context: CommandContext, key: KeyInput): unknown
}

export function hasSelection(context: CommandContext): boolean {
  return context.session.state.selection.length > 0
}
