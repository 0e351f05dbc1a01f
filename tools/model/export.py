"""Export a trained checkpoint as the app's bundled model: ONNX with the RAW head outputs.

The graph maps an already-normalized, padded batch `images` [N,3,H,W] (dynamic N/H/W) to
`cls_logits` [N, ΣHWA, 5] and `bbox_regression` [N, ΣHWA, 4] in torchvision's concat layout;
the app does the resize/normalize, anchors, decoding and NMS itself (config preset
"torchvision"). Also writes the model's JSON config and, for the round-trip check
(check-onnx.mjs), reference outputs of two inputs of different sizes.

With `--calibrate <coco set>` (a validation set the training never saw), the config gets the
model's operating point `labelThreshold`: the score threshold of best F1 (per class where that
helps), measured on the exported graph through the app's own engine by calibrate.ts;
`--calibration-report` keeps its precision/recall.

With `--fp16` the written graph computes in float16 (weights, input `images` and both outputs
float16; same names, shapes and opset): the float32 export converted by onnx_fp16.py, after the
calibration, which measures the float32 graph.

  python3 export.py --checkpoint .work/run/best.pt --out ../../resources/models/shapes-retinanet \
      --calibrate .work/validation-demo --calibration-report .work/calibration.json
"""
import argparse
import json
import os
import subprocess

import torch
from torch import nn

from net import ANCHOR_SIZES, MAX_SIZE, MIN_SIZE, build_model
from onnx_fp16 import convert_file
from shapes import CLASSES

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


class RawHeadOutputs(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.backbone = model.backbone
        self.head = model.head

    def forward(self, images):
        features = list(self.backbone(images).values())
        out = self.head(features)
        return out["cls_logits"], out["bbox_regression"]


def model_config():
    return {
        "preset": "torchvision",
        "classes": CLASSES,
        "input": {"resize": {"mode": "torchvision", "minSize": MIN_SIZE, "maxSize": MAX_SIZE}},
        "anchors": {"sizes": [list(s) for s in ANCHOR_SIZES]},
    }


def calibrate(onnx_path, validation_set, report_path):
    """Writes the model's labelThreshold into its JSON config (calibrate.ts, through the engine)."""
    command = ["npx", "tsx", "--tsconfig", "tsconfig.node.json", "tools/model/calibrate.ts", os.path.abspath(validation_set),
               "--model", os.path.abspath(onnx_path), "--write"]
    if report_path:
        command += ["--out", os.path.abspath(report_path)]
    subprocess.run(command, cwd=REPO, check=True)


def write_reference(wrapper, path):
    """Outputs for two seeded inputs (different H/W, N=2 and N=1), to check the ONNX graph against."""
    gen = torch.Generator().manual_seed(0)
    cases = []
    for shape in ((2, 3, 128, 192), (1, 3, 224, 96)):
        x = torch.randn(shape, generator=gen)
        with torch.no_grad():
            cls, box = wrapper(x)
        cases.append({"shape": list(shape), "input": x.flatten().tolist(),
                      "clsShape": list(cls.shape), "boxShape": list(box.shape),
                      "cls": cls.flatten().tolist(), "box": box.flatten().tolist()})
    with open(path, "w") as f:
        json.dump(cases, f)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--checkpoint", required=True)
    p.add_argument("--out", required=True, help="output path without extension")
    p.add_argument("--reference", default=None, help="where to write reference outputs (JSON)")
    p.add_argument("--opset", type=int, default=13)
    p.add_argument("--calibrate", default=None, help="a validation COCO set for the label threshold")
    p.add_argument("--calibration-report", default=None, help="where to write the calibration's figures (JSON)")
    p.add_argument("--fp16", action="store_true", help="write a float16 graph (float16 weights, input and outputs)")
    a = p.parse_args()
    if a.fp16 and a.reference:
        p.error("--reference is for check-onnx.mjs, which runs a float32 graph: export without --fp16 to check it")

    state = torch.load(a.checkpoint, map_location="cpu")
    # Checkpoints before architectures were named hold the "small" network.
    model = build_model(state.get("arch", "small"))
    model.load_state_dict(state["model"])
    model.eval()
    wrapper = RawHeadOutputs(model).eval()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    dummy = torch.zeros(1, 3, MIN_SIZE, MAX_SIZE)
    torch.onnx.export(
        wrapper, dummy, a.out + ".onnx", opset_version=a.opset, do_constant_folding=True,
        input_names=["images"], output_names=["cls_logits", "bbox_regression"],
        dynamic_axes={"images": {0: "N", 2: "H", 3: "W"},
                      "cls_logits": {0: "N", 1: "anchors"}, "bbox_regression": {0: "N", 1: "anchors"}},
    )
    with open(a.out + ".json", "w") as f:
        json.dump(model_config(), f, indent=2)
        f.write("\n")
    if a.reference:
        write_reference(wrapper, a.reference)
    if a.calibrate:
        calibrate(a.out + ".onnx", a.calibrate, a.calibration_report)
    if a.fp16:
        convert_file(a.out + ".onnx", a.out + ".onnx")
    size = os.path.getsize(a.out + ".onnx")
    print(f"exported {a.out}.onnx ({size / 1e6:.2f} MB{', float16' if a.fp16 else ''}) from step {state.get('step')} scores {state.get('scores')}")


if __name__ == "__main__":
    main()
