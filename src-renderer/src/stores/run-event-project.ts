import type { ApiEvent } from '@shared/api/events'
import { ApiCallError } from '@shared/api/result'

/** The file of the project this window shows (`ProjectSummary.file`), or null on the start view. */
export type ShownProjectFile = () => string | null

/**
 * Whether this is the event of a detection run of a project other than the one shown. Every
 * run event names its project: a run goes on stopping for a moment after another project was
 * opened, and its events must not reach that other project's panels (issue 19, item 7).
 * Without a way to tell the shown project (some tests), nothing is dropped.
 */
export function isRunEventOfAnotherProject(event: ApiEvent, shownProjectFile: ShownProjectFile | undefined): boolean {
  if (!shownProjectFile || !event.type.startsWith('run.') || !('projectFile' in event)) return false
  return event.projectFile !== shownProjectFile()
}

/**
 * Whether the window is known to show no project (the start view). A refresh that waited for a
 * burst of events to end has nothing to read then: the project closed while it waited.
 */
export function showsNoProject(shownProjectFile: ShownProjectFile | undefined): boolean {
  return shownProjectFile !== undefined && shownProjectFile() === null
}

/**
 * Whether a background refresh failed only because the project closed while it was on its
 * way (another project opened, or the window went back to the start view). Nothing is wrong
 * then, and the labeler should not see a notice about it.
 */
export function lostRaceWithClose(error: unknown): boolean {
  return error instanceof ApiCallError && error.code === 'no-project'
}
