"""The model's operating point: the score threshold of best F1 on a validation set the training
never saw, overall and per class, as the `labelThreshold` of the model config.

Detections are the model's own (torchvision's post-processing with the engine's settings: score
≥ 0.05, NMS 0.5, ≤ 300 an image, which the app's engine reproduces). Each detection is matched
greedily, best score first, to an unmatched ground-truth box of its class at IoU ≥ 0.5 (as the
engine's precision/recall does), so the true positives at threshold t are the matched detections
scoring ≥ t. Per-class thresholds are kept only where they raise the overall F1 by at least
`PER_CLASS_GAIN`; a class keeps the overall threshold otherwise.
"""
import numpy as np
import torch

from pyeval import iou_matrix

PER_CLASS_GAIN = 0.005
IOU = 0.5


@torch.no_grad()
def scored_matches(model, samples, num_classes):
    """[(score, class, matched)] over every detection, and the ground-truth count per class."""
    model.eval()
    records, truth = [], np.zeros(num_classes, dtype=np.int64)
    for img, gb, gl in samples:
        out = model([img])[0]
        boxes, scores, labels = out["boxes"].numpy(), out["scores"].numpy(), out["labels"].numpy()
        for c in range(num_classes):
            g = gb[gl == c]
            truth[c] += len(g)
            keep = labels == c
            db, ds = boxes[keep], scores[keep]
            order = np.argsort(-ds, kind="stable")
            ious = iou_matrix(db[order], g) if len(g) and len(db) else np.zeros((len(db), 0))
            taken = np.zeros(len(g), dtype=bool)
            for k, d in enumerate(order):
                best, best_j = IOU, -1
                for j in range(len(g)):
                    if not taken[j] and ious[k, j] >= best:
                        best, best_j = ious[k, j], j
                if best_j >= 0:
                    taken[best_j] = True
                records.append((float(ds[d]), c, best_j >= 0))
    return records, truth


def counts(records, truth, thresholds):
    """True positives, detections and ground truth when class c keeps scores ≥ thresholds[c]."""
    tp = sum(1 for s, c, m in records if m and s >= thresholds[c])
    det = sum(1 for s, c, m in records if s >= thresholds[c])
    return tp, det, int(truth.sum())


def point(tp, det, gt):
    precision = tp / det if det else 1.0
    recall = tp / gt if gt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": det - tp, "fn": gt - tp}


def best_threshold(records, truth, classes):
    """The threshold (a detection score, rounded down to 0.01, ≥ 0.05) of best F1 over `classes`."""
    chosen = [(s, m) for s, c, m in records if c in classes]
    gt = int(sum(truth[c] for c in classes))
    best = (0.0, 0.5)
    for t in np.arange(0.05, 0.96, 0.01):
        tp = sum(1 for s, m in chosen if m and s >= t)
        det = sum(1 for s, _ in chosen if s >= t)
        f1 = point(tp, det, gt)["f1"]
        if f1 > best[0] + 1e-12:
            best = (f1, round(float(t), 2))
    return best[1]


def calibrate(model, samples, class_names):
    """Returns (labelThreshold for the config, report with the P/R/F1 of the chosen point)."""
    n = len(class_names)
    records, truth = scored_matches(model, samples, n)
    overall = best_threshold(records, truth, range(n))
    uniform = point(*counts(records, truth, [overall] * n))
    per_class = [best_threshold(records, truth, [c]) for c in range(n)]
    mixed = point(*counts(records, truth, per_class))
    use_per_class = mixed["f1"] >= uniform["f1"] + PER_CLASS_GAIN
    thresholds = per_class if use_per_class else [overall] * n
    config = {"score": overall}
    if use_per_class:
        config["perClass"] = {name: t for name, t in zip(class_names, per_class) if t != overall}
    report = {
        "images": len(samples), "boxes": int(truth.sum()), "labelThreshold": config,
        "operatingPoint": mixed if use_per_class else uniform, "uniformThreshold": {"score": overall, **uniform},
        "perClassThresholds": {"thresholds": dict(zip(class_names, per_class)), **mixed, "used": use_per_class},
        "perClass": {name: point(*counts([r for r in records if r[1] == c], truth * (np.arange(n) == c), thresholds))
                     for c, name in enumerate(class_names)},
    }
    return config, report
