"""Times torchvision's RetinaNet post-processing on raw head outputs written by bench/decode.bench.ts.

Usage: /usr/bin/python3 tools/bench/torchvision_postprocess.py <meta.json>

Line protocol on stdin/stdout, so the caller can interleave these runs with its own and both sides
see the same machine load: after setup the script prints "ready"; each "run" line runs the
post-processing once and prints {"ms": ...}; end of input prints the median and the detections.

meta.json names two raw float32 files (cls_logits [N, A, K] and bbox_regression [N, A, 4], little
endian) and gives the frame sizes. The script builds torchvision's own AnchorGenerator and
RetinaNet (weights not needed: only the post-processing runs), splits the head outputs per level as
RetinaNet.forward does, and times postprocess_detections + transform.postprocess single-threaded.
Anchors are generated once outside the timed region, as the decoder under test caches them too.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.retinanet import retinanet_resnet50_fpn


def main() -> None:
    with open(sys.argv[1]) as handle:
        meta = json.load(handle)
    torch.set_num_threads(1)

    batch, anchors_total, classes = meta["batch"], meta["anchors"], meta["classes"]
    logits = torch.from_numpy(np.fromfile(meta["logitsFile"], dtype="<f4").reshape(batch, anchors_total, classes))
    regression = torch.from_numpy(np.fromfile(meta["regressionFile"], dtype="<f4").reshape(batch, anchors_total, 4))

    model = retinanet_resnet50_fpn(
        weights=None,
        weights_backbone=None,
        num_classes=classes,
        min_size=meta["minSize"],
        max_size=meta["maxSize"],
    ).eval()

    padded = (meta["paddedHeight"], meta["paddedWidth"])
    resized = [(meta["resizedHeight"], meta["resizedWidth"])] * batch
    original = [(meta["originalHeight"], meta["originalWidth"])] * batch
    # Feature maps only lend their shapes to the anchor generator.
    features = [torch.zeros(1, 1, h, w) for h, w in meta["levelShapes"]]
    image_list = ImageList(torch.zeros(batch, 3, *padded), resized)
    anchors = model.anchor_generator(image_list, features)
    per_level = [h * w * model.anchor_generator.num_anchors_per_location()[0] for h, w in meta["levelShapes"]]

    def postprocess():
        head_outputs = {"cls_logits": list(logits.split(per_level, dim=1)), "bbox_regression": list(regression.split(per_level, dim=1))}
        split_anchors = [list(a.split(per_level)) for a in anchors]
        detections = model.postprocess_detections(head_outputs, split_anchors, resized)
        return model.transform.postprocess(detections, resized, original)

    times = []
    result = []
    print("ready", flush=True)
    with torch.no_grad():
        while True:
            line = sys.stdin.readline()
            if not line:
                break
            if line.strip() != "run":
                continue
            start = time.perf_counter()
            result = postprocess()
            times.append((time.perf_counter() - start) * 1000)
            print(json.dumps({"ms": times[-1]}), flush=True)

    print(
        json.dumps(
            {
                "medianMs": statistics.median(times) if times else None,
                "detections": [
                    {"boxes": d["boxes"].tolist(), "scores": d["scores"].tolist(), "labels": d["labels"].tolist()} for d in result
                ],
            }
        ),
        flush=True,
    )

if __name__ == "__main__":
    main()
