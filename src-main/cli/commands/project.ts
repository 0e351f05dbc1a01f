/** `project <create|detect|eval|info|export|import|train> ...`: the project commands, one file each. */
import { UsageError, type CliCommand, type CliIo } from '../command'
import { projectCreateHelp, runProjectCreate } from './project-create'
import { projectDetectHelp, runProjectDetect } from './project-detect'
import { projectEvalHelp, runProjectEval } from './project-eval'
import { projectExportHelp, runProjectExport } from './project-export'
import { projectImportHelp, runProjectImport } from './project-import'
import { projectInfoHelp, runProjectInfo } from './project-info'
import { projectTrainHelp, runProjectTrain } from './project-train'

const subcommands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  create: runProjectCreate,
  detect: runProjectDetect,
  eval: runProjectEval,
  info: runProjectInfo,
  export: runProjectExport,
  import: runProjectImport,
  train: runProjectTrain,
}

const help = `Usage: project <create|detect|eval|info|export|import|train> ...

A project is one SQLite file holding the image list, detection runs, labels and their history.

${projectCreateHelp}

${projectDetectHelp}

${projectEvalHelp}

${projectInfoHelp}

${projectExportHelp}

${projectImportHelp}

${projectTrainHelp}`

export const projectCommand: CliCommand = {
  name: 'project',
  summary: 'create a project, run detection over it (resumable), score a run against reviewed labels, show its state, export and import labels, teach a model from the reviewed labels',
  help,
  run(args, io) {
    const [name, ...rest] = args
    const run = name === undefined ? undefined : subcommands[name]
    if (!run) throw new UsageError(name === undefined ? 'project needs a subcommand: create, detect, eval, info, export, import or train' : `unknown project subcommand "${name}"`)
    return run(rest, io)
  },
}
