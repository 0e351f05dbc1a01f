import type { RunSummary } from '@shared/api/types'

/** A run as the API summarises it: a CPU run over every image, ended a minute after it started unless running. */
export function runSummary(id: number, state: RunSummary['state'], fields: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    state,
    modelPath: '/models/tiny.onnx',
    scope: 'all',
    decodeCutoff: 0.05,
    providerRequested: 'auto',
    providerUsed: 'cpu',
    providerDevice: 'CPU',
    providerSkipped: [],
    providerFallbackReason: null,
    startedAt: '2026-12-04T18:00:00.000Z',
    finishedAt: state === 'running' ? null : '2026-12-04T18:01:00.000Z',
    errorMessage: null,
    imagesDone: 0,
    imagesFailed: 0,
    detectionCount: 0,
    ...fields,
  }
}
