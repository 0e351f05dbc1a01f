import { waitLikeAJob } from '../db/connection'
import type { OpenProject } from '../projects/open-project'
import { openProjectFile as openCheckedProjectFile } from '../projects/open-project-file'

/**
 * Opens a project file for a batch job (CLI or worker thread), with its own connection. The
 * app's ProjectService does the same for the project shown in the UI, through the same
 * checks; a job needs no recent list and no events, and a worker cannot share the UI's
 * connection anyway. A job waits longer for a lock than the app's own connection does (see
 * waitLikeAJob): it has no window to keep answering.
 */
export function openProjectFile(projectFile: string): OpenProject {
  const project = openCheckedProjectFile(projectFile)
  waitLikeAJob(project.db)
  return project
}
