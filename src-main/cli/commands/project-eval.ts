/**
 * `project eval <project-file>`: scores a detection run against what people reviewed. Ground
 * truth is the current labels of the images marked reviewed; detections are the run's on those
 * images. Prints the COCO summary in pycocotools' layout, per-class AP with precision and recall
 * at the label threshold, the confusion matrix, threshold suggestions and the correction effort
 * (from the labels and the edit log); --json prints it all as one object.
 */
import { basename } from 'node:path'
import { evaluationFolder } from '../../../src-shared/api/evaluation-schemas'
import type { CorrectionEffort } from '../../core/db/correction-effort-query'
import { findRun, listRuns, type RunRecord } from '../../core/db/runs-repository'
import { spanFigures } from '../../core/evaluation/run-evaluation'
import { DEFAULT_TARGET_PRECISION, scoreScope, type ScoredRun } from '../../core/evaluation/scope-scoring'
import { openProjectFile } from '../../core/jobs/project-file'
import { formatSummaryComparison, formatSummaryLines } from '../../core/metrics/coco-statistics'
import type { NamedClassThresholds } from '../../../src-shared/api/label-types'
import type { ProjectEvaluation } from '../../core/metrics/project-evaluation'
import { optionalNumberIn, parseCommandLine } from '../arguments'
import { CliError, UsageError, type CliIo } from '../command'

export const projectEvalHelp = `project eval <project-file> [options]
  Scores a detection run against the labels of the images marked reviewed (deleted labels left
  out), COCO-style exactly as pycocotools computes it: AP, AP50, AP75, AP by size, AR@1/10/100,
  AR by size; then per class AP, AP50, precision and recall at the label threshold and suggested
  thresholds, the confusion matrix at IoU 0.5 (with "background" and "missed"), and the
  correction effort: what became of the detections, labels drawn by hand, edits and their span.
  Options:
    --run <id>                 the run to score (default: the latest run)
    --compare <id>             a second run, scored side by side with the first on the reviewed
                               images both runs processed (JSON: runs[0] and runs[1])
    --label-threshold <0..1>   score at which precision, recall and confusion are read
                               (default: the project's label threshold, else the operating
                               point of the run's model config)
    --target-precision <0..1>  precision the per-class threshold suggestion aims at (default ${DEFAULT_TARGET_PRECISION})
    --folder <folder>          only the reviewed images inside this folder of the image root
                               (relative, '/'-separated, sub-folders included, e.g. site-a/day-2)
    --json                     print one JSON object: summary (AP, AP50, AP75, APs, APm, APl,
                               AR1, AR10, AR100, ARs, ARm, ARl), perClass, confusion, ...`

export async function runProjectEval(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, {
    run: { type: 'string' },
    compare: { type: 'string' },
    'label-threshold': { type: 'string' },
    'target-precision': { type: 'string' },
    folder: { type: 'string' },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  })
  if (parsed.positionals.length !== 1) throw new UsageError('project eval takes exactly one project file')
  const runId = optionalNumberIn('--run', parsed.values.run, 1, Number.MAX_SAFE_INTEGER, true)
  const compareId = optionalNumberIn('--compare', parsed.values.compare, 1, Number.MAX_SAFE_INTEGER, true)
  const options = {
    labelThreshold: optionalNumberIn('--label-threshold', parsed.values['label-threshold'], 0, 1, false),
    targetPrecision: optionalNumberIn('--target-precision', parsed.values['target-precision'], 0, 1, false) ?? DEFAULT_TARGET_PRECISION,
  }
  const folder = parseFolder(parsed.values.folder)
  const project = openProjectFile(parsed.positionals[0]!)
  try {
    const { db } = project
    const runs = listRuns(db)
    const run = pickRun(runs, runId, (id) => findRun(db, id))
    const other = compareId === undefined ? undefined : pickRun(runs, compareId, (id) => findRun(db, id))
    if (other?.id === run.id) throw new UsageError(`--compare needs a run other than #${run.id}`)
    const scope = scoreScope(db, { runId: run.id, compareRunId: other?.id, folder }, options)
    const first = scope.primary
    if (first.rows.imageIds.length === 0) throw new CliError(nothingToScore(first, other, folder))
    const header = {
      project: project.record.name,
      file: project.file,
      ...(folder === '' ? {} : { folder }),
      reviewedImagesWithoutResult: first.rows.reviewedWithoutResult,
    }
    if (scope.comparison === null) {
      const report = { ...header, run: describeRun(run), ...first.scored.result, effort: describeEffort(first.effort) }
      if (parsed.values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
      else io.stdout.write(`${describe(report, run, first.rows.reviewedWithoutResult, folder).join('\n')}\n`)
      return 0
    }
    const second = scope.comparison
    const comparison = {
      ...header,
      images: first.scored.result.images,
      runs: [first, second].map(({ run: scored, scored: { result: evaluation } }) => ({
        run: describeRun(scored),
        labelThreshold: evaluation.labelThreshold,
        summary: evaluation.summary,
        operatingPoint: evaluation.operatingPoint,
        perClass: evaluation.perClass.map(({ id, name, AP, AP50, precision, recall }) => ({ id, name, AP, AP50, precision, recall })),
      })),
    }
    if (parsed.values.json) io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`)
    else io.stdout.write(`${describeComparison(first, second, folder).join('\n')}\n`)
    return 0
  } finally {
    project.close()
  }
}

/** A folder of the image root as the project stores paths; a trailing '/' is forgiven. */
function parseFolder(value: string | undefined): string {
  if (value === undefined) return ''
  const parsed = evaluationFolder.safeParse(value.replace(/\/+$/, ''))
  if (!parsed.success) throw new UsageError(`--folder ${parsed.error.issues[0]?.message ?? 'is not a folder inside the image root'}`)
  return parsed.data
}

function nothingToScore(first: ScoredRun, other: RunRecord | undefined, folder: string): string {
  const runs = other === undefined ? `run #${first.run.id}` : `runs #${first.run.id} and #${other.id}`
  const where = folder === '' ? '' : ` in folder "${folder}"`
  const without = first.rows.reviewedWithoutResult
  const why = without > 0 ? `; ${without} reviewed images${where} have no result in ${runs}, choose another with --run` : ''
  return `No reviewed image${where} to score ${runs} on: mark images reviewed after checking their labels${why}.`
}

function describeRun(run: RunRecord) {
  return { id: run.id, model: basename(run.modelPath), state: run.state, startedAt: run.startedAt }
}

function pickRun(runs: RunRecord[], runId: number | undefined, find: (id: number) => RunRecord | undefined): RunRecord {
  if (runId !== undefined) {
    const run = find(runId)
    if (!run) throw new CliError(`This project has no run #${runId}; its runs are ${runs.map((r) => `#${r.id}`).join(', ') || 'none'}.`)
    return run
  }
  const latest = runs[0]
  if (!latest) throw new CliError('This project has no detection run yet: run `project detect` first.')
  return latest
}

function describeComparison(firstRun: ScoredRun, secondRun: ScoredRun, folder: string): string[] {
  const name = (scored: ScoredRun) => `#${scored.run.id} (${basename(scored.run.modelPath)}, started ${scored.run.startedAt})`
  const without = firstRun.rows.reviewedWithoutResult
  const skipped = without > 0 ? ` (${without} reviewed images without a result in both runs left out)` : ''
  const first = { evaluation: firstRun.scored.result }
  const second = { evaluation: secondRun.scored.result }
  const lines = [
    `run ${name(firstRun)} | run ${name(secondRun)} on the same ${first.evaluation.images} reviewed images${inFolder(folder)}${skipped}`,
    ...formatSummaryComparison(first.evaluation.summary, second.evaluation.summary),
    '',
    `  ${'class'.padEnd(14)} ${'AP'.padStart(15)} ${'AP50'.padStart(15)}   precision/recall at each run's label threshold`,
  ]
  first.evaluation.perClass.forEach((entry, k) => {
    const next = second.evaluation.perClass[k]!
    lines.push(
      `  ${entry.name.padEnd(14)} ${number(entry.AP)} | ${number(next.AP)} ${number(entry.AP50)} | ${number(next.AP50)}   ` +
        `${entry.precision.toFixed(3)}/${entry.recall.toFixed(3)} | ${next.precision.toFixed(3)}/${next.recall.toFixed(3)}`,
    )
  })
  return lines
}

const number = (value: number | null) => (value === null ? '   —  ' : value.toFixed(4))

/** The effort figures with the edit spans summed up (median and total), not listed per image. */
function describeEffort(effort: CorrectionEffort) {
  const { median, total } = spanFigures(effort.editSpanSeconds)
  return {
    detections: effort.detections,
    labelsAddedByHand: effort.labelsAddedByHand,
    editedImages: effort.editedImages,
    edits: effort.edits,
    editSpanSeconds: { median, total },
  }
}

const inFolder = (folder: string) => (folder === '' ? '' : ` in folder "${folder}"`)

function describe(evaluation: ProjectEvaluation & { effort: ReturnType<typeof describeEffort> }, run: RunRecord, reviewedWithoutResult: number, folder: string): string[] {
  const skipped = reviewedWithoutResult > 0 ? ` (${reviewedWithoutResult} reviewed images without a result in this run left out)` : ''
  const lines = [
    `run #${run.id} (${basename(run.modelPath)}, ${run.state}, started ${run.startedAt}) on ${evaluation.images} reviewed images${inFolder(folder)}${skipped}`,
    ...formatSummaryLines(evaluation.summary),
    '',
    `per class (precision and recall at IoU 0.5, score ≥ ${describeThreshold(evaluation.labelThreshold)}):`,
    `  ${'class'.padEnd(14)} ${'AP'.padStart(6)} ${'AP50'.padStart(6)} ${'labels'.padStart(7)} ${'dets'.padStart(6)} ${'prec'.padStart(6)} ${'recall'.padStart(6)}  best-F1 score / for precision ${evaluation.targetPrecision}`,
  ]
  for (const entry of evaluation.perClass) {
    const { bestF1, forPrecision } = entry.suggestedThresholds
    lines.push(
      `  ${entry.name.padEnd(14)} ${number(entry.AP)} ${number(entry.AP50)} ${String(entry.labels).padStart(7)} ${String(entry.detections).padStart(6)} ` +
        `${entry.precision.toFixed(4)} ${entry.recall.toFixed(4)}  ${bestF1 ? bestF1.score.toFixed(3) : '—'} / ${forPrecision ? forPrecision.score.toFixed(3) : '—'}`,
    )
  }
  const point = evaluation.operatingPoint
  lines.push(`  ${'all'.padEnd(14)} ${number(evaluation.summary.AP)} ${number(evaluation.summary.AP50)} ${' '.repeat(14)} ${point.precision.toFixed(4)} ${point.recall.toFixed(4)}`)
  const { rows, columns, counts } = evaluation.confusion
  const width = Math.max(10, ...columns.map((name) => name.length), ...rows.map((name) => name.length))
  lines.push('', `confusion at IoU 0.5, score ≥ ${describeThreshold(evaluation.labelThreshold)} (rows: labels, columns: detections):`)
  lines.push(`  ${''.padEnd(width)} ${columns.map((name) => name.padStart(width)).join(' ')}`)
  rows.forEach((name, r) => lines.push(`  ${name.padEnd(width)} ${counts[r]!.map((count) => String(count).padStart(width)).join(' ')}`))
  const { detections, labelsAddedByHand, editedImages, edits, editSpanSeconds } = evaluation.effort
  lines.push(
    '',
    `correction effort on these images: detections kept ${detections.kept}, moved ${detections.moved}, relabelled ${detections.relabelled}, ` +
      `moved and relabelled ${detections.movedAndRelabelled}, deleted ${detections.deleted}, never labels ${detections.unlabelled}; ` +
      `${labelsAddedByHand} labels drawn by hand; ${edits} edits on ${editedImages} images` +
      (editSpanSeconds.median === null ? '' : `, first to last edit ${editSpanSeconds.median.toFixed(0)} s per image (median), ${editSpanSeconds.total.toFixed(0)} s in all`),
  )
  return lines
}

function describeThreshold(threshold: NamedClassThresholds): string {
  const named = Object.entries(threshold.perClass).map(([name, score]) => `${name} ${score}`)
  return named.length === 0 ? String(threshold.score) : `${threshold.score} (${named.join(', ')})`
}
