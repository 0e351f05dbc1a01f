/**
 * `project train <project-file> --out <model.onnx>`: fine-tunes the final class and box layers
 * of a RetinaNet model on the project's reviewed labels and writes the model, its config and a
 * training report (see core/training/project-training.ts). Ctrl-C stops after the current
 * batch; running the same command again continues from the last finished epoch.
 */
import { isAbsolute, resolve } from 'node:path'
import { openProjectFile } from '../../core/jobs/project-file'
import type { HeldOutScore } from '../../core/training/held-out'
import { type ProjectTrainingReport, trainingReportPath, trainProjectModel } from '../../core/training/project-training'
import { TrainingCancelled } from '../../core/training/train-heads'
import { optionalNumberIn, parseCommandLine } from '../arguments'
import { UsageError, type CliIo } from '../command'
import { createProgressReporter, formatDuration, type ProgressReporter } from '../progress'
import { countOf } from '../wording'

export const projectTrainHelp = `project train <project-file> --out <model.onnx> [options]
  Teaches a model from the project's reviewed images: the final class and box layers of
  RetinaNet's heads are fine-tuned with the focal loss, classes the base model lacks are
  added, and a fifth of the reviewed images (chosen by a hash of their path) is held out to
  pick the best epoch and calibrate the label threshold. Writes <model.onnx>, <model>.json
  (use them with detect --model or project detect --model) and <model>.training.json.
  Interrupted? Run the same command again: it continues from the last finished epoch.
  Options:
    --base <file.onnx>      model to start from (default: the bundled shapes model)
    --config <file.json>    its config (default: <base>.json beside it)
    --epochs <n>            passes over the training images (default 12)
    --learning-rate <r>     peak learning rate (default 0.1)
    --held-out <f>          fraction of reviewed images held out, 0–0.5 (default 0.2)
    --threads <n>           CPU threads for the frozen layers
    --json                  print the training report as JSON on stdout
  Exit code 0 when the model is written, 130 when cancelled.`

export async function runProjectTrain(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    out: { type: 'string' },
    base: { type: 'string' },
    config: { type: 'string' },
    epochs: { type: 'string' },
    'learning-rate': { type: 'string' },
    'held-out': { type: 'string' },
    threads: { type: 'string' },
    json: { type: 'boolean', default: false },
  })
  if (positionals.length !== 1) throw new UsageError('project train takes exactly one project file')
  if (values.out === undefined || values.out.trim() === '') throw new UsageError('project train needs --out <model.onnx>')
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(path))
  const epochs = optionalNumberIn('--epochs', values.epochs, 1, 1000, true)
  const learningRate = optionalNumberIn('--learning-rate', values['learning-rate'], 1e-6, 1, false)
  const project = openProjectFile(positionals[0]!)
  let progress: ProgressReporter | null = null
  try {
    const report = await trainProjectModel(project, {
      out: absolute(values.out),
      baseModelPath: values.base === undefined ? undefined : absolute(values.base),
      baseConfigPath: values.config === undefined ? undefined : absolute(values.config),
      settings: { ...(epochs === undefined ? {} : { epochs }), ...(learningRate === undefined ? {} : { learningRate }) },
      heldOutFraction: optionalNumberIn('--held-out', values['held-out'], 0, 0.5, false),
      threads: optionalNumberIn('--threads', values.threads, 1, 256, true),
      signal: io.signal,
      onPlan(plan) {
        const added = plan.newClasses.length > 0 ? `; new ${countOf(plan.newClasses.length, 'class', 'classes')}: ${plan.newClasses.join(', ')}` : ''
        const resumed = plan.resumedAfterEpoch === null ? '' : `, continuing after epoch ${plan.resumedAfterEpoch}`
        io.stderr.write(
          `training on ${countOf(plan.trainImages, 'image')} (${countOf(plan.labels, 'label')} in all), ${plan.heldOutImages} held out, ` +
            `${countOf(plan.epochs, 'epoch')}${resumed}${added}\n`,
        )
      },
      onStep(done, total) {
        progress ??= createProgressReporter(io.stderr, total)
        progress.update(done, 0)
      },
      onEpoch(report) {
        ;(progress as ProgressReporter | null)?.finish()
        progress = null
        io.stderr.write(
          `epoch ${report.epoch}/${report.epochs}: loss ${(report.train.classification + report.train.boxRegression).toFixed(4)} ` +
            `(class ${report.train.classification.toFixed(4)}, box ${report.train.boxRegression.toFixed(4)}); held out: ${describeScore(report.heldOut)} ` +
            `(${formatDuration(report.seconds)})\n`,
        )
      },
    })
    if (values.json) io.stdout.write(`${JSON.stringify(report, null, 1)}\n`)
    else printSummary(io, report)
    return 0
  } catch (error) {
    if (error instanceof TrainingCancelled) {
      io.stderr.write('training cancelled; run the same command again to continue from the last finished epoch\n')
      return 130
    }
    throw error
  } finally {
    project.close()
  }
}

function describeScore(score: HeldOutScore): string {
  if (score.ap50 === null) return `loss ${score.loss.toFixed(4)}`
  return `AP50 ${score.ap50.toFixed(3)}, AP ${score.ap!.toFixed(3)}, loss ${score.loss.toFixed(4)}`
}

function printSummary(io: CliIo, report: ProjectTrainingReport): void {
  const before = report.heldOutBefore.ap50
  const after = report.heldOutAfter.ap50
  const change = before === null || after === null ? 'no held-out labels to measure on' : `held-out AP50 ${before.toFixed(3)} → ${after.toFixed(3)} on ${countOf(report.heldOutImages, 'image')}`
  io.stdout.write(
    `${change} (best epoch ${report.bestEpoch}); label threshold ${report.heldOutAfter.threshold.toFixed(2)}\n` +
      `wrote ${report.model}\n      ${report.config}\n      ${trainingReportPath(report.model)}\n`,
  )
}
