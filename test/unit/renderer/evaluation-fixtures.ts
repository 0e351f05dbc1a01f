import type { ClassEvaluation, EvaluationReport, ImageEvaluation, RunEvaluation } from '@shared/api/evaluation-types'

/** A class's row of an evaluation, with what the tests do not look at filled in plausibly. */
export function classRow(classId: number, name: string, overrides: Partial<ClassEvaluation> = {}): ClassEvaluation {
  return {
    classId,
    name,
    color: '#ff0000',
    labelThreshold: 0.5,
    AP: 0.5,
    AP50: 0.7,
    labels: 10,
    detections: 12,
    truePositives: 7,
    falsePositives: 2,
    falseNegatives: 3,
    precision: 7 / 9,
    recall: 0.7,
    suggestedThresholds: { bestF1: null, forPrecision: null },
    curve: [],
    histogram: { truePositives: [], falsePositives: [] },
    ...overrides,
  }
}

export function runEvaluation(runId: number, perClass: ClassEvaluation[]): RunEvaluation {
  const summary = { AP: 0.5, AP50: 0.7, AP75: 0.5, APs: -1, APm: 0.4, APl: 0.6, AR1: 0.3, AR10: 0.6, AR100: 0.6, ARs: -1, ARm: 0.5, ARl: 0.7 }
  return {
    run: { id: runId, model: 'model.onnx', startedAt: '2026-11-30T00:00:00.000Z' },
    labelThreshold: { score: 0.5, perClass: {} },
    summary,
    operatingPoint: { truePositives: 7, falsePositives: 2, falseNegatives: 3, precision: 7 / 9, recall: 0.7 },
    perClass,
    confusion: { iouThreshold: 0.5, rows: ['a', 'background'], columns: ['a', 'missed'], classIds: [1], counts: [[7, 3], [2, 0]] },
    histogram: { truePositives: [], falsePositives: [] },
    effort: {
      detections: { kept: 5, moved: 1, relabelled: 1, movedAndRelabelled: 0, deleted: 2, unlabelled: 3 },
      labelsAddedByHand: 3,
      editedImages: 2,
      edits: 6,
      editSpanSeconds: { median: 12, total: 24, count: 2 },
      reviewSeconds: { median: 20, total: 40, count: 2 },
    },
  }
}

export function report(primary: RunEvaluation, comparison: RunEvaluation | null = null): EvaluationReport {
  return {
    images: 4,
    reviewedWithoutResult: 0,
    folder: '',
    folders: [{ folder: '', reviewedImages: 4 }],
    targetPrecision: 0.9,
    histogramBins: 20,
    primary,
    comparison,
  }
}

export function judgedImage(imageId: number, runId = 1): ImageEvaluation {
  return {
    imageId,
    runId,
    reviewed: true,
    hasResult: true,
    detections: [
      { detectionId: 11, classId: 1, score: 0.9, box: [0, 0, 10, 10], verdict: 'truePositive', labelId: 101 },
      { detectionId: 12, classId: 2, score: 0.8, box: [20, 20, 30, 30], verdict: 'wrongClass', labelId: 102 },
      { detectionId: 13, classId: 1, score: 0.6, box: [40, 40, 50, 50], verdict: 'background', labelId: null },
    ],
    missed: [{ labelId: 103, classId: 2, box: [60, 60, 70, 70] }],
  }
}
