/** `project <create|detect|eval|info|export|import> ...`: the project commands, one file each. */
import { UsageError, type CliCommand, type CliIo } from '../command'
import { projectCreateHelp, runProjectCreate } from './project-create'
import { projectDetectHelp, runProjectDetect } from './project-detect'
import { projectEvalHelp, runProjectEval } from './project-eval'
import { projectExportHelp, runProjectExport } from './project-export'
import { projectImportHelp, runProjectImport } from './project-import'
import { projectInfoHelp, runProjectInfo } from './project-info'

const subcommands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  create: runProjectCreate,
  detect: runProjectDetect,
  eval: runProjectEval,
  info: runProjectInfo,
  export: runProjectExport,
  import: runProjectImport,
}

const help = `Usage: project <create|detect|eval|info|export|import> ...

A project is one SQLite file holding the image list, detection runs, labels and their history.

${projectCreateHelp}

${projectDetectHelp}

${projectEvalHelp}

${projectInfoHelp}

${projectExportHelp}

${projectImportHelp}`

export const projectCommand: CliCommand = {
  name: 'project',
  summary: 'create a project, run detection over it (resumable), score a run against reviewed labels, show its state, export and import labels',
  help,
  run(args, io) {
    const [name, ...rest] = args
    const run = name === undefined ? undefined : subcommands[name]
    if (!run) throw new UsageError(name === undefined ? 'project needs a subcommand: create, detect, eval, info, export or import' : `unknown project subcommand "${name}"`)
    return run(rest, io)
  },
}
