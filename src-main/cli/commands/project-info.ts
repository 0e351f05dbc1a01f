/** `project info <project-file>`: image counts by status, labels and detections per class, label thresholds, and the latest runs. */
import { basename } from 'node:path'
import type { NamedClassThresholds } from '../../../src-shared/api/label-types'
import { findProjectLabelThresholds, modelDefaultThresholds } from '../../core/db/label-thresholds-repository'
import { countDetections, countImagesByStatus, countLabels } from '../../core/db/project-stats'
import { listClassesWithCounts } from '../../core/labels/class-counts'
import { countLatestDetections } from '../../core/db/latest-detection-counts'
import { getRunProgress } from '../../core/db/run-progress'
import { listRuns, type RunRecord } from '../../core/db/runs-repository'
import { openProjectFile } from '../../core/jobs/project-file'
import { parseCommandLine } from '../arguments'
import { UsageError, type CliIo } from '../command'
import { describeProviderBriefly } from '../wording'

const LATEST_RUNS = 5

export const projectInfoHelp = `project info <project-file> [--json]
  Prints the project's images by status, labels (what exports contain) and detections (each
  image's latest run) per class, the label thresholds, and the latest detection runs.
  --json prints the same as one JSON object.`

export async function runProjectInfo(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(args, { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false } })
  if (parsed.positionals.length !== 1) throw new UsageError('project info takes exactly one project file')
  const project = openProjectFile(parsed.positionals[0]!)
  try {
    const { db } = project
    const classes = listClassesWithCounts(db)
    const projectThresholds = findProjectLabelThresholds(db)
    const thresholds = projectThresholds ?? modelDefaultThresholds(db)
    const nameOf = new Map(classes.map((entry) => [entry.id, entry.name]))
    const info = {
      name: project.record.name,
      file: project.file,
      imageRoot: project.imageRoot,
      images: countImagesByStatus(db),
      labels: countLabels(db),
      detections: countLatestDetections(db),
      detectionsInAllRuns: countDetections(db).total,
      labelThreshold: {
        source: projectThresholds ? 'project' : 'model',
        score: thresholds.score,
        perClass: Object.fromEntries([...thresholds.perClass].map(([classId, score]) => [nameOf.get(classId) ?? String(classId), score])),
      },
      classes: classes.map((entry) => ({
        id: entry.id,
        name: entry.name,
        labels: entry.labelCount,
        detections: entry.detectionCount,
      })),
      runs: listRuns(db).slice(0, LATEST_RUNS).map((run) => ({ ...describeRun(run), ...getRunProgress(db, run.id) })),
    }
    if (parsed.values.json) {
      io.stdout.write(`${JSON.stringify(info, null, 2)}\n`)
      return 0
    }
    const { images } = info
    const lines = [
      `project: ${info.name} (${info.file})`,
      `images: ${images.total} in ${info.imageRoot} — new ${images.new}, detected ${images.detected}, reviewed ${images.reviewed}, error ${images.error}` +
        (images.missing > 0 ? `; ${images.missing} missing on disk` : ''),
      `labels: ${info.labels} (what exports contain)`,
      `detections: ${info.detections} in each image's latest run (${info.detectionsInAllRuns} over all runs)`,
      `label threshold: ${describeThreshold(info.labelThreshold)}`,
    ]
    if (info.classes.length > 0) {
      lines.push('classes (labels / detections):')
      for (const entry of info.classes) lines.push(`  ${entry.id}  ${entry.name}: ${entry.labels} / ${entry.detections}`)
    }
    lines.push(info.runs.length === 0 ? 'runs: none yet' : `runs (latest ${info.runs.length}):`)
    for (const run of info.runs) {
      const failure = run.errorMessage ? ` — ${run.errorMessage}` : ''
      lines.push(
        `  #${run.id} ${run.state === 'running' ? 'running (or interrupted)' : run.state}, started ${run.startedAt}, ${run.model}, ${run.provider}, scope ${run.scope}: ` +
          `${run.done} done, ${run.errors} failed, ${run.pending} pending, ${run.detections} detections${failure}`,
      )
    }
    io.stdout.write(`${lines.join('\n')}\n`)
    return 0
  } finally {
    project.close()
  }
}

function describeRun(run: RunRecord) {
  const facts = run.providerUsed === null ? null : { used: run.providerUsed, device: run.providerDevice, skipped: run.providerSkipped }
  return {
    id: run.id,
    state: run.state,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    model: basename(run.modelPath),
    modelSha256: run.modelSha256,
    provider: facts ? describeProviderBriefly(facts) : 'provider unknown',
    providerRequested: run.providerRequested,
    providerUsed: run.providerUsed,
    providerDevice: run.providerDevice,
    providerSkipped: run.providerSkipped,
    scope: run.scope,
    decodeCutoff: run.decodeCutoff,
    errorMessage: run.errorMessage,
  }
}

function describeThreshold(threshold: NamedClassThresholds & { source: string }): string {
  const perClass = Object.entries(threshold.perClass).map(([name, score]) => `${name} ${score}`)
  const origin = threshold.source === 'project' ? "the project's" : "the model's operating point"
  return `${threshold.score} (${origin})${perClass.length > 0 ? `; per class: ${perClass.join(', ')}` : ''}`
}
