/**
 * `project create <project-file> <image-folder>`: a new project file, with the folder's
 * images scanned into it. The same code path as the app's "New project".
 */
import { EventHub } from '../../core/events/event-hub'
import { ProjectService } from '../../core/projects/project-service'
import { RecentProjects } from '../../core/projects/recent-projects'
import { parseCommandLine } from '../arguments'
import { UsageError, type CliIo } from '../command'
import { createProgressReporter, type ProgressReporter } from '../progress'
import { countOf } from '../wording'

/** Skipped files listed after the summary; the rest are counted. */
const SKIPPED_LINES = 20

export const projectCreateHelp = `project create <project-file> <image-folder> [--name <name>]
  Creates a project file (refusing to overwrite an existing file) and scans the image folder
  into it, sub-folders included. Files that look like images but cannot be read are listed.`

/** The CLI keeps no recent-projects list: that list belongs to the app's user data. */
class NoRecentProjects extends RecentProjects {
  constructor() {
    super('')
  }
  override remember(): Promise<void> {
    return Promise.resolve()
  }
}

export async function runProjectCreate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { name: { type: 'string' }, verbose: { type: 'boolean', default: false } })
  const [projectFile, imageFolder, ...extra] = positionals
  if (projectFile === undefined || imageFolder === undefined || extra.length > 0) {
    throw new UsageError('project create takes a project file and an image folder')
  }
  const events = new EventHub()
  let progress: ProgressReporter | null = null
  events.subscribe((event) => {
    if (event.type !== 'job.progress' || event.job.kind !== 'scan' || event.job.progress === null) return
    progress ??= createProgressReporter(io.stderr, event.job.progress.total)
    progress.update(event.job.progress.done, 0)
  })
  const service = new ProjectService({ appVersion: 'cli', recent: new NoRecentProjects(), events })
  try {
    const created = await service.create({ imageFolder, projectFile, name: values.name })
    ;(progress as ProgressReporter | null)?.finish()
    io.stdout.write(`created ${created.file} ("${created.name}"): ${countOf(created.scan.imageCount, 'image')} from ${created.imageRoot}\n`)
    if (created.scan.skippedCount > 0) {
      io.stderr.write(`${countOf(created.scan.skippedCount, 'file')} skipped:\n`)
      for (const skipped of created.scan.skipped.slice(0, SKIPPED_LINES)) io.stderr.write(`  ${skipped.relativePath}: ${skipped.reason}\n`)
    }
    return 0
  } finally {
    service.dispose()
  }
}
