"""pycocotools' COCOeval (bbox) as the reference for src-main/core/metrics.

Needs pycocotools importable (tools/eval/build-pycocotools.sh; PYCOCOTOOLS_PATH is put on
sys.path). Two uses:

  reference(ground_truth, detections) -> the expected numbers stored beside each parity fixture
  /usr/bin/python3 pycocotools_reference.py time <ground-truth.json> <detections.json>
      prints one JSON line: wall and CPU seconds for evaluate() + accumulate() and the twelve numbers
      (what `npm run bench -- evaluate` compares against)
"""
import contextlib
import io
import json
import os
import sys
import time

if os.environ.get('PYCOCOTOOLS_PATH'):
    sys.path.insert(0, os.environ['PYCOCOTOOLS_PATH'])

import numpy as np  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402

SUMMARY_KEYS = ['AP', 'AP50', 'AP75', 'APs', 'APm', 'APl', 'AR1', 'AR10', 'AR100', 'ARs', 'ARm', 'ARl']


def _quiet():
    return contextlib.redirect_stdout(io.StringIO())


def _coco(ground_truth):
    coco = COCO()
    coco.dataset = ground_truth
    with _quiet():
        coco.createIndex()
    return coco


def _mean_or_none(values):
    kept = values[values > -1]
    return None if kept.size == 0 else float(np.mean(kept))


def reference(ground_truth, detections):
    """Everything the parity tests compare: the summary, per-category AP and AP50, the mean
    precision over the 101 recall points for every (IoU, category, area, maxDets), the recall
    array, and the 101-point precision curves at IoU 0.5 and 0.75 (area all, 100 detections)."""
    gt = _coco(ground_truth)
    with _quiet():
        dt = gt.loadRes([dict(d) for d in detections])
        evaluation = COCOeval(gt, dt, 'bbox')
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    precision = evaluation.eval['precision']  # [T, R, K, A, M]
    recall = evaluation.eval['recall']  # [T, K, A, M]
    T, R, K, A, M = precision.shape
    mean_precision = np.full((T, K, A, M), -1.0)
    for t in range(T):
        for k in range(K):
            for a in range(A):
                for m in range(M):
                    column = precision[t, :, k, a, m]
                    if (column > -1).any():
                        mean_precision[t, k, a, m] = float(np.mean(column[column > -1]))
    per_category = []
    for k, category_id in enumerate(evaluation.params.catIds):
        per_category.append({
            'categoryId': int(category_id),
            'AP': _mean_or_none(precision[:, :, k, 0, M - 1]),
            'AP50': _mean_or_none(precision[0, :, k, 0, M - 1]),
        })
    return {
        'summary': dict(zip(SUMMARY_KEYS, [float(s) for s in evaluation.stats])),
        'perCategory': per_category,
        'meanPrecision': mean_precision.tolist(),
        'recall': recall.tolist(),
        'precisionCurves': {
            'iou50': precision[0, :, :, 0, M - 1].T.tolist(),
            'iou75': precision[5, :, :, 0, M - 1].T.tolist(),
        },
    }


def time_evaluation(ground_truth_path, detections_path):
    with open(ground_truth_path) as handle:
        gt = _coco(json.load(handle))
    with open(detections_path) as handle:
        detections = json.load(handle)
    with _quiet():
        dt = gt.loadRes(detections)
        evaluation = COCOeval(gt, dt, 'bbox')
        started = time.perf_counter()
        started_cpu = time.process_time()
        evaluation.evaluate()
        evaluation.accumulate()
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - started_cpu
        evaluation.summarize()
    return {'seconds': seconds, 'cpuSeconds': cpu_seconds, 'summary': dict(zip(SUMMARY_KEYS, [float(s) for s in evaluation.stats]))}


if __name__ == '__main__':
    if len(sys.argv) != 4 or sys.argv[1] != 'time':
        sys.exit('usage: pycocotools_reference.py time <ground-truth.json> <detections.json>')
    print(json.dumps(time_evaluation(sys.argv[2], sys.argv[3])))
