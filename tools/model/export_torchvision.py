"""Export torchvision's RetinaNet to the raw-head ("concat") ONNX layout the workbench reads.

    /usr/bin/python3 tools/model/export_torchvision.py --arch retinanet_resnet50_fpn --out .cache/models
    /usr/bin/python3 tools/model/export_torchvision.py --arch retinanet_resnet50_fpn_v2 --random-weights

Writes <out>/<arch>.onnx (input `images [N,3,H,W]`, outputs `cls_logits [N,ΣHWA,91]` and
`bbox_regression [N,ΣHWA,4]`, dynamic N/H/W) and <out>/<arch>.json (preset `torchvision`, the
COCO classes under the label indices torchvision uses, null for its unused slots). The graph
stops before anchors, decoding and NMS: the workbench does those exactly as torchvision does.
`--random-weights` needs no download (benchmarks and tests on offline machines). `--fp16` writes
<out>/<arch>[-random...]-fp16.onnx instead: the same graph computing in float16 (weights, input
and outputs), converted from the float32 export by onnx_fp16.py.
"""
import argparse
import inspect
import json
import math
import os
import sys

import torch
from torch import nn
import torchvision
from torchvision.models.detection import retinanet as tv_retinanet

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_fp16 import convert_file  # noqa: E402

ARCHES = {
    "retinanet_resnet50_fpn": (tv_retinanet.retinanet_resnet50_fpn, tv_retinanet.RetinaNet_ResNet50_FPN_Weights),
    "retinanet_resnet50_fpn_v2": (tv_retinanet.retinanet_resnet50_fpn_v2, tv_retinanet.RetinaNet_ResNet50_FPN_V2_Weights),
}


class RawHeadOutputs(nn.Module):
    """Backbone + FPN + head of a torchvision RetinaNet, without transform or post-processing."""

    def __init__(self, model: tv_retinanet.RetinaNet):
        super().__init__()
        self.backbone = model.backbone
        self.head = model.head

    def forward(self, images: torch.Tensor):
        features = list(self.backbone(images).values())
        outputs = self.head(features)
        return outputs["cls_logits"], outputs["bbox_regression"]


def export_concat(model: tv_retinanet.RetinaNet, path: str, sample: torch.Tensor) -> None:
    # PyTorch 2.9 and later export through dynamo by default; the TorchScript exporter keeps
    # dynamic_axes and the opset the way every torch version here writes them.
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(
        RawHeadOutputs(model).eval(),
        (sample,),
        path,
        opset_version=11,
        input_names=["images"],
        output_names=["cls_logits", "bbox_regression"],
        dynamic_axes={
            "images": {0: "batch", 2: "height", 3: "width"},
            "cls_logits": {0: "batch", 1: "anchors"},
            "bbox_regression": {0: "batch", 1: "anchors"},
        },
        do_constant_folding=True,
        **legacy,
    )


def coco_classes(categories: list) -> list:
    """torchvision labels are COCO category ids; '__background__' and 'N/A' are unused slots."""
    return [None if name in ("__background__", "N/A") else {"name": name, "id": index}
            for index, name in enumerate(categories)]


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", choices=sorted(ARCHES), default="retinanet_resnet50_fpn")
    parser.add_argument("--out", default=".cache/models", help="output folder (default .cache/models)")
    parser.add_argument("--random-weights", action="store_true",
                        help="seeded random weights instead of the COCO checkpoint (no download)")
    parser.add_argument("--class-prior", type=float, default=None,
                        help="with --random-weights: set every class bias to logit(P) so that about P of all "
                             "anchor scores pass (e.g. 0.1 gives a realistic load on decoding and NMS)")
    parser.add_argument("--min-size", type=int, default=800)
    parser.add_argument("--max-size", type=int, default=1333)
    parser.add_argument("--fp16", action="store_true", help="write a float16 graph (float16 weights, input and outputs)")
    args = parser.parse_args(argv)
    if args.class_prior is not None and not (args.random_weights and 0 < args.class_prior < 1):
        parser.error("--class-prior needs --random-weights and a value between 0 and 1")

    build, weights_enum = ARCHES[args.arch]
    torch.manual_seed(0)
    if args.random_weights:
        model = build(weights=None, weights_backbone=None, num_classes=91)
        if args.class_prior is not None:
            # torchvision initialises these biases to logit(0.01), so random weights score ~0.01 everywhere.
            with torch.no_grad():
                model.head.classification_head.cls_logits.bias.fill_(math.log(args.class_prior / (1 - args.class_prior)))
    else:
        model = build(weights=weights_enum.COCO_V1)
    model.eval()

    os.makedirs(args.out, exist_ok=True)
    suffix = ("-random" if args.random_weights else "") + (f"-prior{args.class_prior:g}" if args.class_prior is not None else "")
    suffix += "-fp16" if args.fp16 else ""
    base = os.path.join(args.out, args.arch + suffix)
    export_concat(model, base + ".onnx", torch.rand(1, 3, 320, 416))
    if args.fp16:
        convert_file(base + ".onnx", base + ".onnx")
    config = {
        "preset": "torchvision",
        "classes": coco_classes(weights_enum.COCO_V1.meta["categories"]),
        "input": {"resize": {"mode": "torchvision", "minSize": args.min_size, "maxSize": args.max_size}},
    }
    with open(base + ".json", "w") as file:
        json.dump(config, file, indent=2)
        file.write("\n")
    print(f"wrote {base}.onnx and {base}.json (torchvision {torchvision.__version__})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
