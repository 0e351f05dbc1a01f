"""Golden fixture for the training loss: what torchvision's RetinaNet computes on a small case.

    /usr/bin/python3 tools/golden/retinanet_loss.py

Writes test/fixtures/golden/training/retinanet-loss.json.gz: torchvision's anchors for a 96×128
padded input (default AnchorGenerator, P3–P7), seeded head outputs, ground truth, the matcher's
matched indices, RetinaNetHead.compute_loss's two losses and their gradients with respect to the
head outputs (autograd). Three images: boxes of several sizes, a box tied between anchors, and a
reviewed negative (no boxes). Deterministic (seeded); CI never runs it.
"""
import gzip
import json
import os

import torch
from torchvision.models.detection import _utils as det_utils
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.retinanet import RetinaNetHead, _default_anchorgen
from torchvision.ops import box_iou

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "test", "fixtures", "golden", "training", "retinanet-loss.json.gz")
HEIGHT, WIDTH = 96, 128
CLASSES = 3


def feature_maps(height, width):
    sizes = []
    h, w = height, width
    for _ in range(3):
        h, w = (h - 1) // 2 + 1, (w - 1) // 2 + 1
    for _ in range(5):
        sizes.append((h, w))
        h, w = (h - 1) // 2 + 1, (w - 1) // 2 + 1
    return [torch.zeros(1, 1, h_, w_) for h_, w_ in sizes]


def float32_list(tensor):
    """Nine significant digits round-trip a float32 and keep the file small."""
    return [float("%.9g" % value) for value in tensor.detach().flatten().tolist()]


def main():
    torch.manual_seed(20261204)
    generator: AnchorGenerator = _default_anchorgen()
    images = ImageList(torch.zeros(3, 3, HEIGHT, WIDTH), [(HEIGHT, WIDTH)] * 3)
    anchors = generator(images, feature_maps(HEIGHT, WIDTH))
    anchor_count = anchors[0].shape[0]
    head = RetinaNetHead(4, generator.num_anchors_per_location()[0], CLASSES)
    matcher = det_utils.Matcher(0.5, 0.4, allow_low_quality_matches=True)

    targets = [
        {"boxes": torch.tensor([[10.0, 12.0, 40.0, 50.0], [60.0, 20.0, 124.0, 90.0], [70.0, 5.0, 82.0, 17.0]]),
         "labels": torch.tensor([2, 0, 1])},
        {"boxes": torch.tensor([[0.0, 0.0, 32.0, 32.0], [33.0, 40.0, 120.0, 95.0]]), "labels": torch.tensor([1, 1])},
        {"boxes": torch.zeros((0, 4)), "labels": torch.zeros((0,), dtype=torch.int64)},
    ]
    matched = []
    for anchors_per_image, target in zip(anchors, targets):
        if target["boxes"].numel() == 0:
            matched.append(torch.full((anchor_count,), -1, dtype=torch.int64))
            continue
        matched.append(matcher(box_iou(target["boxes"], anchors_per_image)))

    logits = (torch.randn(3, anchor_count, CLASSES) * 2 - 2).requires_grad_(True)
    deltas = (torch.randn(3, anchor_count, 4) * 0.3).requires_grad_(True)
    losses = head.compute_loss(targets, {"cls_logits": logits, "bbox_regression": deltas}, anchors, matched)
    (losses["classification"] + losses["bbox_regression"]).backward()

    fixture = {
        "paddedHeight": HEIGHT,
        "paddedWidth": WIDTH,
        "classCount": CLASSES,
        "anchors": float32_list(anchors[0]),
        "images": [
            {
                "boxes": float32_list(target["boxes"]),
                "classes": target["labels"].tolist(),
                "matches": m.tolist(),
                "logits": float32_list(logits[i]),
                "deltas": float32_list(deltas[i]),
                "logitGradient": float32_list(logits.grad[i]),
                "deltaGradient": float32_list(deltas.grad[i]),
            }
            for i, (target, m) in enumerate(zip(targets, matched))
        ],
        "classification": losses["classification"].item(),
        "boxRegression": losses["bbox_regression"].item(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    text = json.dumps(fixture, separators=(",", ":"))
    with open(OUT, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as packed:
        packed.write(text.encode())
    print(f"{OUT}: {anchor_count} anchors, classification {fixture['classification']:.6f}, box {fixture['boxRegression']:.6f}")


if __name__ == "__main__":
    main()
