"""Quick COCO-style AP in Python, used only to track training (the shipped figures come from
the app's engine). Greedy matching by descending score, 101-point interpolated precision."""
import json
import os

import numpy as np
import torch
from PIL import Image


def iou_matrix(a, b):
    a, b = np.asarray(a, dtype=np.float64).reshape(-1, 4), np.asarray(b, dtype=np.float64).reshape(-1, 4)
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(axis=2)
    area_a = (a[:, 2:] - a[:, :2]).prod(axis=1)
    area_b = (b[:, 2:] - b[:, :2]).prod(axis=1)
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def average_precision(dets, gts, label, iou_thr):
    """dets/gts: per image lists of (boxes, scores, labels) / (boxes, labels)."""
    records, n_gt = [], 0
    for (db, ds, dl), (gb, gl) in zip(dets, gts):
        db, ds = db[dl == label], ds[dl == label]
        gb = gb[gl == label]
        n_gt += len(gb)
        order = np.argsort(-ds, kind="stable")
        taken = np.zeros(len(gb), dtype=bool)
        ious = iou_matrix(db[order], gb) if len(gb) and len(db) else np.zeros((len(db), 0))
        for k, d in enumerate(order):
            best, best_j = iou_thr, -1
            for j in range(len(gb)):
                if not taken[j] and ious[k, j] >= best:
                    best, best_j = ious[k, j], j
            if best_j >= 0:
                taken[best_j] = True
            records.append((ds[d], best_j >= 0))
    if n_gt == 0:
        return None
    records.sort(key=lambda r: -r[0])
    tp = np.cumsum([r[1] for r in records]) if records else np.zeros(0)
    fp = np.cumsum([not r[1] for r in records]) if records else np.zeros(0)
    recall = tp / n_gt
    precision = tp / np.maximum(tp + fp, 1e-9)
    precision = np.maximum.accumulate(precision[::-1])[::-1] if len(precision) else precision
    total = 0.0
    for r in np.linspace(0, 1, 101):
        idx = np.searchsorted(recall, r, side="left")
        total += precision[idx] if idx < len(precision) else 0.0
    return total / 101


def mean_ap(dets, gts, num_classes, thresholds=(0.5,)):
    per_thr = []
    for t in thresholds:
        aps = [average_precision(dets, gts, c, t) for c in range(num_classes)]
        per_thr.append([a for a in aps if a is not None])
    return float(np.mean([np.mean(a) for a in per_thr]))


def load_coco_set(directory, limit=None):
    """Returns [(image tensor [3,H,W] in 0..1, gt boxes xyxy, gt labels 0-based)]."""
    with open(os.path.join(directory, "annotations.json")) as f:
        coco = json.load(f)
    by_image = {im["id"]: ([], []) for im in coco["images"]}
    for a in coco["annotations"]:
        x, y, w, h = a["bbox"]
        by_image[a["image_id"]][0].append([x, y, x + w, y + h])
        by_image[a["image_id"]][1].append(a["category_id"] - 1)
    out = []
    for im in coco["images"][:limit]:
        arr = np.asarray(Image.open(os.path.join(directory, im["file_name"])).convert("RGB"), dtype=np.float32) / 255
        boxes, labels = by_image[im["id"]]
        out.append((torch.from_numpy(arr).permute(2, 0, 1).contiguous(),
                    np.asarray(boxes, dtype=np.float64).reshape(-1, 4), np.asarray(labels, dtype=np.int64)))
    return out


@torch.no_grad()
def evaluate_model(model, samples, num_classes):
    model.eval()
    dets, gts = [], []
    for img, gb, gl in samples:
        out = model([img])[0]
        dets.append((out["boxes"].numpy(), out["scores"].numpy(), out["labels"].numpy()))
        gts.append((gb, gl))
    model.train()
    return {"map50": mean_ap(dets, gts, num_classes, (0.5,)),
            "map": mean_ap(dets, gts, num_classes, tuple(np.arange(0.5, 0.96, 0.05)))}
