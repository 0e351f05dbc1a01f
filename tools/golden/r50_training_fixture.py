"""torchvision's RetinaNet R50-FPN with random weights, small enough to commit, for the training test.

    /usr/bin/python3 tools/golden/r50_training_fixture.py --out test/fixtures/models

Writes r50-fpn-generated.onnx and .json: `retinanet_resnet50_fpn(weights=None,
weights_backbone=None, num_classes=5)` exported by export_torchvision.py's exporter (raw head
outputs, torchvision's layout), five shape classes ("cross" where the samples have "hexagon"),
and a small resize (160–224 px) so a test runs it on a few images in seconds.

A float32 R50-FPN is ~130 MB of weights. Here every weight tensor of more than 4,096 values is
replaced by a small subgraph that generates it at load (ONNX Runtime folds it once):
sin(i · φ) over its flat index in float64, scaled to the original tensor's standard deviation and
reshaped. The graph's operators, shapes, the backbone, FPN P3–P7 and the heads are torchvision's;
only the numbers are generated. The final class and box convolutions (what training reads and
writes) keep their torchvision values as plain initializers.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torchvision.models.detection import retinanet as tv_retinanet

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "model"))
from export_torchvision import export_concat  # noqa: E402

# "cross" rather than "hexagon": trained on the samples, the model must add a class and keep one.
CLASS_NAMES = ["circle", "square", "triangle", "star", "cross"]
GENERATE_ABOVE = 4096
KEEP = ("head.classification_head.cls_logits.", "head.regression_head.bbox_reg.")
GOLDEN = (math.sqrt(5) - 1) / 2 * 97.0


def generated(tensor: onnx.TensorProto, nodes: list, initializers: list) -> None:
    """Nodes that compute a stand-in for `tensor` under its own name."""
    values = numpy_helper.to_array(tensor)
    name = tensor.name
    amplitude = float(values.std()) * math.sqrt(2.0)  # sin over a uniform phase has variance 1/2
    offset = float(values.mean())
    constants = {
        f"{name}/limit": np.array(values.size, dtype=np.float64),
        f"{name}/start": np.array(0, dtype=np.float64),
        f"{name}/delta": np.array(1, dtype=np.float64),
        f"{name}/golden": np.array(GOLDEN, dtype=np.float64),
        f"{name}/amplitude": np.array(amplitude, dtype=np.float32),
        f"{name}/offset": np.array(offset, dtype=np.float32),
        f"{name}/shape": np.array(values.shape, dtype=np.int64),
    }
    initializers.extend(numpy_helper.from_array(value, key) for key, value in constants.items())
    nodes.extend([
        helper.make_node("Range", [f"{name}/start", f"{name}/limit", f"{name}/delta"], [f"{name}/index"]),
        helper.make_node("Mul", [f"{name}/index", f"{name}/golden"], [f"{name}/phase"]),
        helper.make_node("Sin", [f"{name}/phase"], [f"{name}/wave"]),
        helper.make_node("Cast", [f"{name}/wave"], [f"{name}/wave32"], to=TensorProto.FLOAT),
        helper.make_node("Mul", [f"{name}/wave32", f"{name}/amplitude"], [f"{name}/scaled"]),
        helper.make_node("Add", [f"{name}/scaled", f"{name}/offset"], [f"{name}/flat"]),
        helper.make_node("Reshape", [f"{name}/flat", f"{name}/shape"], [name]),
    ])


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="test/fixtures/models")
    args = parser.parse_args(argv)

    torch.manual_seed(0)
    model = tv_retinanet.retinanet_resnet50_fpn(weights=None, weights_backbone=None, num_classes=len(CLASS_NAMES)).eval()
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, "r50-fpn-generated")
    export_concat(model, base + ".onnx", torch.rand(1, 3, 160, 224))

    graph_model = onnx.load(base + ".onnx")
    graph = graph_model.graph
    kept, nodes, constants = [], [], []
    for tensor in graph.initializer:
        count = int(np.prod(tensor.dims)) if tensor.dims else 1
        if count > GENERATE_ABOVE and tensor.data_type == TensorProto.FLOAT and not tensor.name.startswith(KEEP):
            generated(tensor, nodes, constants)
        else:
            kept.append(tensor)
    del graph.initializer[:]
    graph.initializer.extend(kept + constants)
    # Generators first: a graph's nodes are in topological order.
    existing = list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes + existing)
    onnx.checker.check_model(graph_model)
    onnx.save(graph_model, base + ".onnx")

    config = {
        "preset": "torchvision",
        "classes": CLASS_NAMES,
        "input": {"resize": {"mode": "torchvision", "minSize": 160, "maxSize": 224}},
    }
    with open(base + ".json", "w") as file:
        json.dump(config, file, indent=1)
        file.write("\n")
    print(f"wrote {base}.onnx ({os.path.getsize(base + '.onnx') / 1e6:.2f} MB, {len(nodes) // 7} tensors generated) and {base}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
