import type { OpenProject } from '../projects/open-project'
import { openProjectFile as openCheckedProjectFile } from '../projects/open-project-file'

/**
 * Opens a project file for a batch job (CLI or worker thread), with its own connection. The
 * app's ProjectService does the same for the project shown in the UI, through the same
 * checks; a job needs no recent list and no events, and a worker cannot share the UI's
 * connection anyway.
 */
export function openProjectFile(projectFile: string): OpenProject {
  return openCheckedProjectFile(projectFile)
}
