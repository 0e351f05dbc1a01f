/**
 * `project import <project-file> <file-or-folder> --format ...`: reads labels in a training
 * format, prints what the import will do (images matched, labels, items left out and why),
 * then writes it in one transaction, one undo step. Classes the project lacks need
 * --add-classes; without it nothing is written and the exit code is 1.
 */
import { applyLabelImport, planLabelImport, readLabelSet, type LabelImportOptions, type LabelImportPlan } from '../../core/formats/import-labels'
import { IMPORT_FORMATS } from '../../core/formats/label-set'
import { openProjectFile } from '../../core/jobs/project-file'
import { resolveCommandLinePath } from '../../core/user-paths'
import { oneOf, parseCommandLine } from '../arguments'
import { environmentWords } from '../cli-language'
import { CliError, UsageError, type CliIo } from '../command'

const LISTED_PROBLEMS = 20

export const projectImportHelp = `project import <project-file> <file-or-folder> --format coco|yolo|voc|labelme [options]
  Adds labels from a COCO file, a YOLO dataset (data.yaml or classes.txt), Pascal VOC XML or
  LabelMe JSON. Images are matched by relative path, then by file name; classes by name.
  The whole import is one undo step; malformed items are listed and left out, and a file
  that cannot be read safely (e.g. XML with a DTD) stops the import before anything is written.
  Options:
    --replace      replace the labels of images no person has touched (others keep theirs);
                   default: add to the existing labels
    --reviewed     mark the imported images reviewed (ground truth for evaluation)
    --add-classes  create classes the project does not have yet`

export async function runProjectImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    format: { type: 'string' },
    replace: { type: 'boolean', default: false },
    reviewed: { type: 'boolean', default: false },
    'add-classes': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  })
  if (positionals.length !== 2) throw new UsageError('project import takes a project file and the file or folder to import')
  const format = oneOf('--format', values.format, IMPORT_FORMATS)
  const options: LabelImportOptions = { mode: values.replace ? 'replace' : 'add', markReviewed: values.reviewed ?? false, addClasses: values['add-classes'] ?? false }
  const input = resolveCommandLinePath(positionals[1]!, 'The file or folder to import')
  const project = openProjectFile(positionals[0]!)
  try {
    io.stderr.write(`reading ${format} labels from ${positionals[1]}\n`)
    const set = await readLabelSet(format, input)
    const plan = planLabelImport(project.db, project.imageRoot, set, options)
    printPlan(io, plan, options)
    if (plan.newClasses.length > 0 && !options.addClasses) {
      throw new CliError(`the project has no class ${plan.newClasses.map((name) => `"${name}"`).join(', ')}; pass --add-classes to create them (nothing was imported)`)
    }
    const result = applyLabelImport(project.db, plan, options)
    const kept = result.imagesKeptTouched > 0 ? `, ${result.imagesKeptTouched} images touched by a person kept their labels` : ''
    const duplicates = result.duplicatesSkipped > 0 ? `, ${result.duplicatesSkipped} labels already present` : ''
    const created = result.classesCreated.length > 0 ? `, new classes ${result.classesCreated.join(', ')}` : ''
    const reviewed = options.markReviewed ? `, ${result.imagesMarkedReviewed} newly marked reviewed` : ''
    io.stdout.write(
      `imported ${result.labelsCreated} labels on ${result.imagesChanged} images` +
        `${result.labelsRemoved > 0 ? ` (replacing ${result.labelsRemoved})` : ''}${kept}${duplicates}${created}${reviewed}; ` +
        `${plan.problemCount} items left out\n`,
    )
    return 0
  } finally {
    project.close()
  }
}

function printPlan(io: CliIo, plan: LabelImportPlan, options: LabelImportOptions): void {
  const words = environmentWords()
  const lines = [
    `${plan.imagesInFile} images in the file, ${plan.imagesMatched} matched to project images; ${plan.labels} labels` +
      (plan.boxesClipped > 0 ? ` (${plan.boxesClipped} partly outside their image, clipped)` : ''),
  ]
  if (plan.boxesTooSmall > 0) lines.push(`${plan.boxesTooSmall} boxes smaller than the smallest label (1 px a side) are left out`)
  if (plan.boxesWithInvalidClass > 0) lines.push(`${plan.boxesWithInvalidClass} boxes with an invalid class name are left out (see below)`)
  if (options.mode === 'replace' && plan.imagesKeptTouched > 0) lines.push(`${plan.imagesKeptTouched} matched images were touched by a person and keep their labels`)
  if (plan.newClasses.length > 0) lines.push(`classes the project does not have: ${plan.newClasses.join(', ')}`)
  if (plan.problemCount > 0) {
    lines.push(`${plan.problemCount} items left out:`)
    for (const problem of plan.problems.slice(0, LISTED_PROBLEMS)) lines.push(`  ${problem.source}${problem.item ? ` (${problem.item})` : ''}: ${words.text(problem)}`)
    if (plan.problemCount > LISTED_PROBLEMS) lines.push(`  ... and ${plan.problemCount - LISTED_PROBLEMS} more`)
  }
  io.stderr.write(`${lines.join('\n')}\n`)
}
